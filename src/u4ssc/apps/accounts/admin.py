from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from u4ssc.apps.accounts.forms import ThrottledAdminAuthenticationForm
from u4ssc.apps.accounts.models import ApiToken, LoginAttempt, RoleAssignment, User

# The admin's login page words a throttled login like ours (the backend refuses it anyway).
admin.site.login_form = ThrottledAdminAuthenticationForm


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("U4SSC", {"fields": ("display_name", "preferred_language")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "prefix"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["username", "ip_address", "at"]
    readonly_fields = ["username", "ip_address", "at"]
