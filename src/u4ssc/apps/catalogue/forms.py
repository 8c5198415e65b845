"""Forms of the target-set pages. They parse what people type; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.catalogue.models import Direction, ScoringMethod, Target
from u4ssc.apps.catalogue.queries import MeasurandChoice
from u4ssc.core.checks import parse_number


class NumberField(forms.CharField):
    """A number as people type it: "95", "12,5", "1 234.5"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 10})

    def clean(self, value: Any) -> float | None:  # type: ignore[override]
        text = super().clean(value)
        if text is None or str(text).strip() == "":
            return None
        try:
            return parse_number(str(text))
        except ValueError as exc:
            raise ValidationError(
                _("Type a number, such as 95 or 12,5."), code="not_a_number"
            ) from exc


def _typed(number: float | None) -> str:
    """A stored number as a person would type it in the active language, without losing
    digits ("12,5" in Bokmål; "95", not "95.0")."""
    if number is None:
        return ""
    return number_format(int(number) if number.is_integer() else number)


class TargetForm(forms.Form):
    """One target: which way is better, the value or range, and where it comes from."""

    direction = forms.ChoiceField(label=_("Better when"), choices=Direction.choices)
    value = NumberField(label=_("Target value"))
    range_low = NumberField(label=_("Range from"))
    range_high = NumberField(label=_("Range to"))
    source = forms.CharField(label=_("Source"), required=False, max_length=500)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    @staticmethod
    def initial_for(target: Target) -> dict[str, Any]:
        return {
            "direction": target.direction,
            "value": _typed(target.value),
            "range_low": _typed(target.range_low),
            "range_high": _typed(target.range_high),
            "source": target.source,
            "note": target.note,
        }

    def target_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "direction": data["direction"],
            "value": data["value"],
            "range_low": data["range_low"],
            "range_high": data["range_high"],
            "source": data["source"],
            "note": data["note"],
        }

    def add_action_errors(self, error: ValidationError) -> None:
        """Put the action's errors next to their fields (the rest above the form)."""
        by_field = getattr(error, "error_dict", None) or {None: error.error_list}
        for field, errors in by_field.items():
            self.add_error(field if field in self.fields else None, errors)


class NewTargetForm(TargetForm):
    """A target for a KPI or data point the set has no target for yet."""

    measurand = forms.ChoiceField(label=_("KPI and data point"))

    field_order = ["measurand", "direction", "value", "range_low", "range_high", "source", "note"]

    def __init__(self, *args: Any, choices: list[MeasurandChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = {c.key: c for c in choices}
        self.fields["measurand"].choices = [
            ("", _("- choose -")),
            *((c.key, c.label) for c in choices),
        ]
        direction = self.fields["direction"]
        direction.required = False
        direction.choices = [("", _("as in the catalogue")), *Direction.choices]  # type: ignore[attr-defined]

    def chosen(self) -> MeasurandChoice:
        return self.choices[self.cleaned_data["measurand"]]

    def target_fields(self) -> dict[str, Any]:
        fields = super().target_fields()
        fields["direction"] = fields["direction"] or self.chosen().direction
        return fields


class TargetSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, empty_label=_("- choose -"))
    method = forms.ChoiceField(
        label=_("Scoring method"), choices=ScoringMethod.choices, initial=ScoringMethod.U4SSC
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        field.queryset = owners  # type: ignore[attr-defined]
        field.label_from_instance = lambda org: f"{org.name} ({org.get_kind_display()})"  # type: ignore[attr-defined]
        only = list(owners[:2])
        if len(only) == 1:
            self.initial.setdefault("owner", only[0].pk)

    def add_action_errors(self, error: ValidationError) -> None:
        by_field = getattr(error, "error_dict", None) or {None: error.error_list}
        for field, errors in by_field.items():
            self.add_error(field if field in self.fields else None, errors)
