"""Admin: when the demo was loaded, with which seed, and what it created (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from u4ssc.apps.demo.models import DemoLoad


@admin.register(DemoLoad)
class DemoLoadAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "seed", "seconds"]
    readonly_fields = ["seed", "loaded_at", "seconds", "counts", "objects_created"]

    # The record is written by ``u4ssc demo load`` only; ``--reset`` removes it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: DemoLoad | None = None) -> bool:
        return False
