"""The admin shows KPI data; it never writes it.

Values change through ``evaluations.actions`` (the data sheet, imports, the API), which
check them and write their history in the same transaction. An admin form would bypass
both, and deleting would remove history, which is append-only: evaluations, values and
their changes are read-only here (view permission only).
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from u4ssc.apps.evaluations.models import Evaluation, EvaluationEvent, KPIValue, ValueRevision


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and detail pages, no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = EvaluationEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "actor", "comment", "at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["city", "year", "state", "is_synthetic", "updated_at"]
    list_filter = ["state", "is_synthetic", "year"]
    search_fields = ["city__name"]
    list_select_related = ["city"]
    inlines = [EventInline]


@admin.register(KPIValue)
class KPIValueAdmin(ReadOnlyAdmin):
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


@admin.register(ValueRevision)
class ValueRevisionAdmin(ReadOnlyAdmin):
    list_display = ["value", "version", "changed_by", "changed_at", "channel"]
    list_select_related = ["value", "value__kpi", "value__evaluation", "value__evaluation__city"]
