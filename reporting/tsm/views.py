"""The yearly Tenant Satisfaction Measures summary page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import TemplateView

from almo_sla.access import can
from almo_sla.forms import GovukFilterForm
from reporting.council.selectors import almos_for
from reporting.tsm.selectors import tsm_summary
from services.models import Almo
from services.periods import financial_year_label, financial_year_start
from services.roles import Role, almo_id_of, role_of


def visible_almos(user):
    if role_of(user) in (Role.ADMINISTRATOR, Role.COUNCIL_OFFICER):
        return almos_for(user)
    return Almo.objects.select_related("council").filter(pk=almo_id_of(user))


class TsmForm(GovukFilterForm):
    almo = forms.ModelChoiceField(queryset=None, label="ALMO", empty_label=None)
    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, *args, almos, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["almo"].queryset = almos
        self.fields["year"].choices = [(y, financial_year_label(y)) for y in years]


class TsmSummaryView(TemplateView):
    template_name = "reporting/tsm/summary.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        almos = visible_almos(user)
        # start on an ALMO with a live agreement (a draft has no returns yet)
        first = almos.filter(agreements__status__in=("active", "agreed")).first() or almos.first()
        if first is None or not can(user, "reporting.view_tsm_summary", first):
            raise PermissionDenied
        this_year = financial_year_start(timezone.localdate())
        years = list(range(this_year, this_year - 4, -1))
        form = TsmForm(self.request.GET or {"almo": first.pk, "year": this_year - 1}, almos=almos, years=years)
        if form.is_valid():
            almo, year = form.cleaned_data["almo"], form.cleaned_data["year"]
        else:
            almo, year = first, this_year - 1
        return super().get_context_data(
            form=form,
            almo=almo,
            year_label=financial_year_label(year),
            quarters=[f"Q{n}" for n in range(1, 5)],
            lines=tsm_summary(almo=almo, year=year),
            **kwargs,
        )
