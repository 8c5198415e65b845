"""Forms of the organisations pages: list filters, registry search, adding a city."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.organisations import queries
from u4ssc.apps.organisations.models import Organisation, OrgKind, SizeClass
from u4ssc.core import registry


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def country_choices(codes: list[str] | None = None) -> list[tuple[str, str]]:
    """Countries in the page's language, sorted by name; only ``codes`` when given."""
    pairs = registry.countries(_language())
    if codes is not None:
        wanted = set(codes)
        pairs = [(code, name) for code, name in pairs if code in wanted]
    return [("", _("Any country")), *pairs]


class OrganisationFilterForm(forms.Form):
    """The filters of the organisations list (the API takes the same ones)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrgKind.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    size_class = forms.ChoiceField(
        label=_("Size class"),
        required=False,
        choices=[("", _("Any size")), *SizeClass.choices],
    )

    def __init__(self, *args: Any, countries_in_use: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices(countries_in_use)

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filters (invalid ones are dropped, not fatal)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class RegistrySearchForm(forms.Form):
    """Type-ahead search of the world city registry."""

    q = forms.CharField(label=_("City name"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()

    def results(self, limit: int = 15) -> list[registry.RegistryCity]:
        if not self.is_valid() or not self.cleaned_data["q"]:
            return []
        return registry.search_cities(
            self.cleaned_data["q"], country=self.cleaned_data["country"] or None, limit=limit
        )


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class AddCityForm(forms.Form):
    """The place picked from the registry and the groups the new city joins."""

    geonames_id = forms.IntegerField(
        label=_("City"),
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": _("Pick a city from the search results."),
            "invalid": _("Pick a city from the search results."),
        },
    )
    groups = GroupChoiceField(
        label=_("Groups"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The hub or national programme the city joins."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["groups"].queryset = queries.manageable_groups(user)
        self.is_programme_admin = queries.is_programme_admin(user)

    def clean_groups(self) -> list[Organisation]:
        groups = list(self.cleaned_data["groups"])
        if not groups and not self.is_programme_admin:
            raise forms.ValidationError(_("Choose at least one group you coordinate."))
        return groups
