"""Forms of the import and export pages. They parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from u4ssc.apps.transfer.exports import FORMATS
from u4ssc.apps.transfer.models import ImportProfile

FORMAT_LABELS = {
    "csv": _("CSV"),
    "xlsx": _("Excel (xlsx)"),
    "json": _("JSON"),
    "datapackage": _("Data Package (zip)"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "The filled data-collection workbook (.xlsx), a long CSV in UTF-8, or a "
            "third-party table with its import profile."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    profile = forms.ModelChoiceField(
        label=_("Import profile"),
        queryset=ImportProfile.objects.none(),
        required=False,
        empty_label=_("None: the platform's workbook or long CSV"),
        help_text=_("Only for third-party tables, such as the CDP emissions files."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only, save nothing"),
        required=False,
        help_text=_("The report tells what would change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = ImportProfile.objects.order_by("name")  # type: ignore[attr-defined]


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, FORMAT_LABELS[f]) for f in FORMATS])
    city = forms.SlugField(required=False)
    group = forms.SlugField(required=False)
    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
