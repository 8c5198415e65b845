from __future__ import annotations

from django import forms

from u4ssc.apps.reports.actions import FORMATS


class ReportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS])
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
