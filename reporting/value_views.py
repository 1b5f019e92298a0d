"""Pages for value for money: cost against benchmarks, evidence and market testing.

Their paths stay under ``/services/value-for-money/`` (URL names ``services:value_for_money``,
``services:schedule_value``, ``services:benchmark_add``, ``services:market_test_add``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from agreements.cost_selectors import schedule_with_costs_get
from almo_sla.access import can
from almo_sla.forms import add_validation_errors
from reporting import value_selectors as selectors
from reporting import value_writes as writes
from reporting.forms import BenchmarkForm, MarketTestForm, ThresholdForm
from reporting.value_for_money import DEFAULT_THRESHOLD, recent_quarters, vfm_rows
from services.periods import Quarter, financial_year_label, financial_year_start

VFM_PAGE_SIZE = 50  # flagged services first, so the first page leads with them


class ValueForMoneyView(TemplateView):
    """Council cost against the benchmark range for each service, with RAG history."""

    template_name = "services/value_for_money.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "reporting.view_value_for_money"):
            raise PermissionDenied
        form = ThresholdForm(self.request.GET or None, initial={"threshold": DEFAULT_THRESHOLD})
        threshold = DEFAULT_THRESHOLD
        if form.is_bound and form.is_valid() and form.cleaned_data["threshold"] is not None:
            threshold = form.cleaned_data["threshold"]
        today = timezone.localdate()
        quarters = recent_quarters(Quarter.containing(today).previous())
        schedule_qs = selectors.vfm_schedules(user=user)
        rows = vfm_rows(
            list(schedule_qs),
            benchmarks=selectors.benchmarks_for_schedules_query(schedule_qs),
            rag_results=selectors.rag_results_for(schedule_qs, quarters),
            market_tests=selectors.market_tests_for_schedules_query(schedule_qs),
            year=financial_year_start(today),
            threshold=threshold,
            quarters=quarters,
        )
        rows.sort(key=lambda r: (not r.above_threshold, r.stats is None, -(r.difference or 0)))
        page = Paginator(rows, VFM_PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            threshold=threshold,
            rows=page.object_list,
            page=page,
            page_query=query.urlencode(),
            quarters=quarters,
            flagged=[r for r in rows if r.above_threshold],
            year_label=financial_year_label(financial_year_start(today)),
            **kwargs,
        )


class ScheduleValueView(TemplateView):
    """One service's benchmark evidence and market-testing record."""

    template_name = "services/schedule_value.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        schedule = schedule_with_costs_get(user=user, pk=self.kwargs["pk"], perm="reporting.view_schedule_value")
        today = timezone.localdate()
        year = financial_year_start(today)
        benchmarks = list(selectors.schedule_benchmarks(schedule))
        quarters = recent_quarters(Quarter.containing(today).previous())
        (row,) = vfm_rows(
            [schedule],
            benchmarks=benchmarks,
            rag_results=selectors.rag_results_for_schedule(schedule, quarters),
            market_tests=[],
            year=year,
            threshold=DEFAULT_THRESHOLD,
            quarters=quarters,
        )
        return super().get_context_data(
            schedule=schedule,
            row=row,
            benchmarks=benchmarks,
            market_tests=list(selectors.schedule_market_tests(schedule)),
            quarters=quarters,
            threshold=DEFAULT_THRESHOLD,
            can_add=can(user, "reporting.add_benchmark", schedule),
            can_plan_exit=can(user, "agreements.view_exit_plan", schedule),
            **kwargs,
        )


class _ScheduleFormView(FormView):
    perm = ""

    def dispatch(self, request, *args, **kwargs):
        self.schedule = schedule_with_costs_get(user=request.user, pk=kwargs["pk"], perm=self.perm)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(schedule=self.schedule, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        return redirect("services:schedule_value", pk=self.schedule.pk)


class BenchmarkCreateView(_ScheduleFormView):
    template_name = "services/benchmark_form.html"
    form_class = BenchmarkForm
    perm = "reporting.add_benchmark"

    def save(self, form):
        benchmark = writes.benchmark_add(schedule=self.schedule, user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, f"Benchmark from {benchmark.source} added: £{benchmark.annual_equivalent:,.0f} a year."
        )


class MarketTestCreateView(_ScheduleFormView):
    template_name = "services/markettest_form.html"
    form_class = MarketTestForm
    perm = "reporting.add_markettest"

    def save(self, form):
        test = writes.market_test_record(schedule=self.schedule, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Market testing recorded: {test.label}.")
