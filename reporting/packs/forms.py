from __future__ import annotations

from django import forms
from django.utils import timezone

from almo_sla.forms import GovukFormMixin
from reporting.packs.content import PackError, pack_agreement
from reporting.packs.selectors import board_pack_almos
from services.periods import Quarter


class BoardPackRequestForm(GovukFormMixin, forms.Form):
    almo = forms.ModelChoiceField(
        label="ALMO", queryset=None, empty_label=None, error_messages={"invalid_choice": "Choose an ALMO from the list."}
    )
    quarter = forms.ChoiceField(label="Quarter", help_text="Packs can be made for quarters that have ended.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["almo"].queryset = board_pack_almos(user=user)
        latest = Quarter.containing(timezone.localdate()).previous()
        quarters, quarter = [], latest
        for _ in range(12):
            quarters.append((quarter.slug, quarter.label))
            quarter = quarter.previous()
        self.fields["quarter"].choices = quarters

    def clean_quarter(self):
        return Quarter.parse(self.cleaned_data["quarter"])

    def clean(self):
        cleaned = super().clean()
        almo, quarter = cleaned.get("almo"), cleaned.get("quarter")
        if almo and quarter:
            try:
                pack_agreement(almo=almo, quarter=quarter)
            except PackError as exc:
                self.add_error("quarter", str(exc))
        return cleaned
