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
    """Read-only: targets are changed on the set's page (``/targets/<slug>/``), through
    ``catalogue.actions``, which check them and keep their history."""

    model = Target
    extra = 0
    fields = ["kpi", "data_point", "direction", "value", "range_low", "range_high", "source"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TargetSet)
class TargetSetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner", "method", "is_default"]
    list_filter = ["kind", "method", "is_default"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [TargetInline]
