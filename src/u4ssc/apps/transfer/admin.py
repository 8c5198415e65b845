"""Admin of import profiles (saved column mappings) and import runs (read-only)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.transfer.mapping import MappingError, parse_mapping
from u4ssc.apps.transfer.models import ImportProfile, ImportRun
from u4ssc.core.catalogue import load_catalogue


class ImportProfileForm(forms.ModelForm):
    class Meta:
        model = ImportProfile
        fields = ["name", "slug", "description", "file_format", "mapping"]

    def clean_mapping(self) -> Any:
        mapping = self.cleaned_data["mapping"]
        try:
            parse_mapping(mapping, load_catalogue())
        except MappingError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return mapping

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = data.get("mapping")
        if (
            isinstance(mapping, dict)
            and data.get("file_format")
            and mapping.get("format", "csv") != data["file_format"]
        ):
            self.add_error("file_format", _("The mapping's format says otherwise."))
        return data


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    """Profiles people made are edited here; shipped ones are read-only (copy to change)."""

    form = ImportProfileForm
    list_display = ["name", "slug", "file_format", "builtin", "updated_at"]
    list_filter = ["builtin", "file_format"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ("name",)}
    actions = ["copy_profiles"]

    def get_readonly_fields(self, request: Any, obj: ImportProfile | None = None) -> Any:
        if obj is not None and obj.builtin:
            return ["name", "slug", "description", "file_format", "mapping", "builtin"]
        return ["builtin"]

    def get_prepopulated_fields(self, request: Any, obj: ImportProfile | None = None) -> Any:
        return {} if obj is not None and obj.builtin else self.prepopulated_fields

    def has_delete_permission(self, request: Any, obj: ImportProfile | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.builtin)

    @admin.action(description=_("Copy the selected profiles (to change a shipped one)"))
    def copy_profiles(self, request: Any, queryset: Any) -> None:
        from u4ssc.apps.transfer.actions import save_profile

        for profile in queryset:
            save_profile(
                actor=request.user,
                name=f"{profile.name} (copy)",
                mapping=json.loads(json.dumps(profile.mapping)),
                description=profile.description,
            )


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "file_name",
        "started_by",
        "channel",
        "kind",
        "outcome",
        "created",
        "updated",
        "unchanged",
        "errors",
    ]
    list_filter = ["outcome", "channel", "kind", "dry_run"]
    search_fields = ["file_name", "sha256", "started_by__username"]
    list_select_related = ["started_by", "profile"]

    def get_readonly_fields(self, request: Any, obj: ImportRun | None = None) -> Any:
        return [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: ImportRun | None = None) -> bool:
        return False
