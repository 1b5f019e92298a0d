"""Pages for value for money: cost against benchmarks, evidence and market testing.

Their paths stay under ``/services/value-for-money/`` (URL names ``services:value_for_money``,
``services:schedule_value``, ``services:benchmark_add``, ``services:market_test_add``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from agreements.cost_selectors import schedule_with_costs_get
from almo_sla.access import can
from almo_sla.form_pages import FormPage
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


class _ScheduleFormView(FormPage):
    """A form about one service's value: the schedule loaded once through ``schedule_with_costs_get``,
    which asks ``schedule_perm`` (404 / 403); back to the value page after the write."""

    perm = None  # asked by ``schedule_with_costs_get`` with ``schedule_perm``
    schedule_perm = ""
    context_object_name = "schedule"

    def get_object(self):
        self.schedule = schedule_with_costs_get(user=self.request.user, pk=self.kwargs["pk"], perm=self.schedule_perm)
        return self.schedule

    def get_success_url(self, result):
        return reverse("services:schedule_value", kwargs={"pk": self.schedule.pk})


class BenchmarkCreateView(_ScheduleFormView):
    template_name = "services/benchmark_form.html"
    form_class = BenchmarkForm
    schedule_perm = "reporting.add_benchmark"

    def write(self, form):
        return writes.benchmark_add(schedule=self.schedule, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, benchmark):
        return f"Benchmark from {benchmark.source} added: £{benchmark.annual_equivalent:,.0f} a year."


class MarketTestCreateView(_ScheduleFormView):
    template_name = "services/markettest_form.html"
    form_class = MarketTestForm
    schedule_perm = "reporting.add_markettest"

    def write(self, form):
        return writes.market_test_record(schedule=self.schedule, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, test):
        return f"Market testing recorded: {test.label}."
