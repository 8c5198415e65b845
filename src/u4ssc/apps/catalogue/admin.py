from django.contrib import admin

from u4ssc.apps.catalogue.models import KPI, Target, TargetSet


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    """Read-only: the catalogue comes from the versioned data file shipped with the code."""

    list_display = ["code", "name", "dimension", "subdimension", "category", "level", "unit"]
    list_filter = ["dimension", "subdimension", "level", "measure_kind", "direction"]
    search_fields = ["code", "name", "key"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class TargetInline(admin.TabularInline):
    model = Target
    extra = 1
    autocomplete_fields = ["kpi"]
    exclude = ["updated_by"]


@admin.register(TargetSet)
class TargetSetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "method", "is_default"]
    list_filter = ["kind", "method", "is_default"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TargetInline]
