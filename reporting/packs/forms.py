from __future__ import annotations

from django import forms

from agreements.models import Agreement
from almo_sla.forms import GovukFormMixin
from reporting.packs.content import PACK_STATUSES, PackError, pack_agreement, pack_quarters
from reporting.packs.selectors import board_pack_almos
from services.periods import Quarter


class BoardPackRequestForm(GovukFormMixin, forms.Form):
    almo = forms.ModelChoiceField(
        label="ALMO",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose an ALMO from the list."},
    )
    quarter = forms.ChoiceField(label="Quarter", help_text="Packs can be made for quarters that have ended.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        almos = board_pack_almos(user=user)
        self.fields["almo"].queryset = almos
        agreements = Agreement.objects.filter(almo__in=almos, status__in=PACK_STATUSES)
        quarters = {q for agreement in agreements for q in pack_quarters(agreement=agreement)}
        self.fields["quarter"].choices = [(q.slug, q.label) for q in sorted(quarters, reverse=True)]

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
