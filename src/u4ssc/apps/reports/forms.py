from __future__ import annotations

from django import forms

from u4ssc.apps.reports.actions import FORMATS


class ReportForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f.upper()) for f in FORMATS])
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    # the target set the page shows (its ?targets=); empty: the page's default
    targets = forms.SlugField(required=False, max_length=200)
