from django.contrib import admin

from u4ssc.apps.evaluations.models import Evaluation, EvaluationEvent, KPIValue, ValueRevision


class EventInline(admin.TabularInline):
    model = EvaluationEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "comment", "at"]
    can_delete = False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """Read-mostly: values change through the data-entry pages, imports and the API, which
    keep their history. The admin shows them."""

    list_display = ["city", "year", "state", "is_synthetic", "updated_at"]
    list_filter = ["state", "is_synthetic", "year"]
    search_fields = ["city__name"]
    readonly_fields = [f.name for f in Evaluation._meta.fields]
    inlines = [EventInline]


@admin.register(KPIValue)
class KPIValueAdmin(admin.ModelAdmin):
    list_display = [
        "evaluation",
        "kpi",
        "data_point",
        "status",
        "value",
        "review_status",
        "version",
    ]
    list_filter = ["status", "review_status", "is_synthetic"]
    search_fields = ["evaluation__city__name", "kpi__code"]
    list_select_related = ["evaluation", "evaluation__city", "kpi"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ValueRevision)
class ValueRevisionAdmin(admin.ModelAdmin):
    list_display = ["value", "version", "changed_by", "changed_at", "channel"]
    list_select_related = ["value", "value__kpi", "value__evaluation", "value__evaluation__city"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
