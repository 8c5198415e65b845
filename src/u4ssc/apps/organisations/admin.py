"""Admin: the escape hatch for programme staff. Everyday writes go through the pages and
the API (``actions``); here a save still keeps the size class in step with population."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.organisations.models import (
    Membership,
    Organisation,
    OrganisationChange,
    size_class_for,
)


class MembersInline(admin.TabularInline):
    model = Membership
    fk_name = "group"
    extra = 1
    autocomplete_fields = ["member"]
    verbose_name = _("member")
    verbose_name_plural = _("members")


class GroupsInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    extra = 0
    autocomplete_fields = ["group"]
    verbose_name = _("membership of a group")
    verbose_name_plural = _("member of")


class ChangesInline(admin.TabularInline):
    model = OrganisationChange
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "details"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "country_code",
        "region",
        "population",
        "size_class",
        "member_count",
        "geonames_id",
        "is_synthetic",
    ]
    list_filter = ["kind", "size_class", "is_synthetic", "country_code"]
    search_fields = ["name", "slug", "region", "=geonames_id"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["size_class", "created_at"]
    list_per_page = 100
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembersInline, GroupsInline, ChangesInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return super().get_queryset(request).annotate(_member_count=Count("member_links"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj: Any) -> int:
        return int(getattr(obj, "_member_count", 0))

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        obj.size_class = size_class_for(obj.population) if obj.is_city else ""
        super().save_model(request, obj, form, change)
