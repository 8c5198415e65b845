from django.contrib import admin

from u4ssc.apps.organisations.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "group"
    extra = 1
    autocomplete_fields = ["member"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country_code", "population", "size_class", "is_synthetic"]
    list_filter = ["kind", "size_class", "is_synthetic", "country_code"]
    search_fields = ["name", "slug", "region"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
