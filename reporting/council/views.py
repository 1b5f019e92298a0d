"""Thin views for the council's view across its ALMOs."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import TemplateView

from almo_sla.access import can
from almo_sla.forms import GovukFilterForm
from reporting.council import selectors
from services.periods import financial_year_label, financial_year_start


class CouncilViewMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, "reporting.view_council_overview"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ServiceChoiceForm(GovukFilterForm):
    service = forms.ModelChoiceField(queryset=None, label="Service", empty_label="Choose a service")

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda s: f"{s.department.name}: {s.name}"


class CompareView(CouncilViewMixin, TemplateView):
    template_name = "reporting/council/compare.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = ServiceChoiceForm(self.request.GET or None, services=selectors.services_for(user))
        service = form.cleaned_data["service"] if form.is_bound and form.is_valid() else None
        return super().get_context_data(
            form=form,
            service=service,
            columns=selectors.service_comparison(user=user, service=service, today=timezone.localdate())
            if service
            else [],
            **kwargs,
        )


class YearForm(GovukFilterForm):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, financial_year_label(y)) for y in years]


class AdministrationView(CouncilViewMixin, TemplateView):
    template_name = "reporting/council/administration.html"

    def get_context_data(self, **kwargs):
        this_year = financial_year_start(timezone.localdate())
        years = list(range(this_year, this_year - 5, -1))
        form = YearForm(self.request.GET or {"year": this_year}, years=years)
        year = form.cleaned_data["year"] if form.is_valid() else this_year
        rows = selectors.administration_cost(user=self.request.user, year=year)
        return super().get_context_data(
            form=form,
            year=year,
            year_label=financial_year_label(year),
            rows=rows,
            totals={
                k: sum(getattr(r, k) for r in rows)
                for k in ("agreements", "variations", "comments", "returns", "queries", "total")
            },
            **kwargs,
        )
