"""Forms of the data-entry and review pages. They parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.evaluations.messages import render_text
from u4ssc.apps.evaluations.models import Quality, State, ValueStatus
from u4ssc.apps.evaluations.years import year_refusal
from u4ssc.core.checks import NumberError, parse_number

STATUS_CHOICES = [
    (ValueStatus.REPORTED, _("Reported")),
    (ValueStatus.NOT_AVAILABLE, _("Not available")),
    (ValueStatus.NOT_APPLICABLE, _("Not applicable")),
]


class NumberField(forms.CharField):
    """A number as people type it: "1 234,5", "1,234.5", "12.3 %"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 12})

    def clean(self, value: Any) -> float | None:  # type: ignore[override]
        text = super().clean(value)
        if text is None or str(text).strip() == "":
            return None
        try:
            return parse_number(str(text))
        except NumberError as exc:
            # the reason in the reader's language, with what they typed
            raise forms.ValidationError(render_text(exc.text), code="not_a_number") from exc


class ValueForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)
    numerator = NumberField(label=_("Numerator"))
    denominator = NumberField(label=_("Denominator"))
    value = NumberField(label=_("Value"))
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
    source = forms.CharField(label=_("Source"), required=False, max_length=500)
    quality = forms.TypedChoiceField(
        label=_("Data quality"),
        choices=[("", _("- choose -")), *Quality.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(label=_("Why this change"), required=False, max_length=1000)

    def __init__(self, *args: Any, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)

    @classmethod
    def initial_for(cls, value: Any) -> dict[str, Any]:
        if value is None:
            return {"status": ValueStatus.REPORTED, "version": 0}
        return {
            "status": value.status if value.status != ValueStatus.EMPTY else ValueStatus.REPORTED,
            "numerator": _fmt(value.numerator),
            "denominator": _fmt(value.denominator),
            "value": _fmt(value.value) if value.numerator is None else "",
            "unit": value.unit,
            "source": value.source,
            "quality": value.quality or "",
            "notes": value.notes,
            "version": value.version,
        }


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.10g}"


class AcknowledgeForm(forms.Form):
    check_code = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why this is right"), max_length=1000)


class ReviewValueForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return to city"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)
    quality = forms.TypedChoiceField(
        label=_("Verified data quality"),
        choices=[("", _("as reported")), *Quality.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttestationForm(forms.Form):
    attestation = forms.CharField(
        label=_("Attestation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you checked and how; it is published with the data."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000)


class NewYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        refusal = year_refusal(year)
        if refusal is not None:
            raise forms.ValidationError(render_text(refusal), code="year")
        return int(year)


class DataCycleFilterForm(forms.Form):
    """The filters of the data-cycle overview on the workspace: year and state. The years
    offered are those of the person's city-years (``offer_years``, once they are known)."""

    year = forms.IntegerField(
        label=_("Year"), required=False, widget=forms.Select(choices=[("", _("Any year"))])
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *State.choices]
    )

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters (an invalid one is dropped, not fatal)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def offer_years(self, years: list[int]) -> None:
        self.fields["year"].widget.choices = [("", _("Any year")), *((y, str(y)) for y in years)]
