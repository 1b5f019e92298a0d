"""Pages for costs, value for money and notice planning. Thin: parse, call, render."""

from __future__ import annotations

import rules
import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from services import costs, selectors
from services import services as writes
from services.exit_planning import exit_plan
from services.forms import (
    BenchmarkForm,
    CostFilterForm,
    MarketTestForm,
    ServedOnForm,
    ServeNoticeForm,
    ThresholdForm,
)
from services.periods import Quarter, financial_year_start
from services.value_for_money import DEFAULT_THRESHOLD, recent_quarters, vfm_rows


class CostView(TemplateView):
    """What the ALMO pays the council, where it goes, this year against last; CSV and Excel too."""

    template_name = "services/cost_summary.html"

    def get(self, request, *args, **kwargs):
        if not request.user.has_perm("services.view_costs"):
            raise PermissionDenied
        years = selectors.cost_years(user=request.user)
        current = financial_year_start(timezone.localdate())
        if current not in years:
            years = sorted({*years, current})
        form = CostFilterForm(request.GET or None, years=years)
        year, category = current, ""
        if form.is_bound and form.is_valid():
            year = form.cleaned_data["year"] or current
            category = form.cleaned_data["category"]
        schedules = list(selectors.cost_schedules(user=request.user, category=category))
        totals = costs.cost_totals(schedules, year=year)
        export = request.GET.get("export")
        if export in ("csv", "xlsx", "ods"):
            return _cost_export(totals, export)
        bars = costs.chart_bars(totals.by_department)
        context = self.get_context_data(
            form=form,
            totals=totals,
            bars=bars,
            chart_height=len(bars) * 44 + 60,
            export_query=_query_without_export(request),
        )
        return self.render_to_response(context)


def _query_without_export(request) -> str:
    query = request.GET.copy()
    query.pop("export", None)
    return query.urlencode()


def _cost_export(totals: costs.CostTotals, fmt: str) -> HttpResponse:
    data = tablib.Dataset(
        headers=[
            "Agreement", "ALMO", "Department", "Service", "Category", "Charged to the HRA",
            "How the cost is apportioned", "Share of staff time (%)",
            f"Cost {totals.last_label} (£)", f"Cost {totals.label} (£)", "Change (£)",
        ],
        title=f"Costs {totals.label.replace('/', '-')}",
    )
    for row in totals.schedules:
        s = row.schedule
        data.append([
            s.agreement.reference, s.agreement.almo.name, s.service.department.name, s.service.name,
            s.service.get_category_display(), "Yes" if s.service.hra_funded else "No", s.cost_basis,
            s.staff_time_share if s.staff_time_share is not None else "", row.last_year, row.this_year, row.change,
        ])
    data.append(["Total", "", "", "", "", "", "", "", totals.total.last_year, totals.total.this_year, totals.total.change])
    name = f"costs-{totals.label.replace('/', '-')}"
    if fmt == "csv":
        response = HttpResponse(data.export("csv"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    elif fmt == "ods":  # OpenDocument: the UK government's open standard for spreadsheets
        response = HttpResponse(data.export("ods"), content_type="application/vnd.oasis.opendocument.spreadsheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.ods"'
    else:
        response = HttpResponse(
            data.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


class ValueForMoneyView(TemplateView):
    """Council cost against the benchmark range for each service, with RAG history."""

    template_name = "services/value_for_money.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not user.has_perm("services.view_value_for_money"):
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
        return super().get_context_data(
            form=form,
            threshold=threshold,
            rows=rows,
            quarters=quarters,
            flagged=[r for r in rows if r.above_threshold],
            year_label=f"{financial_year_start(today)}/{str(financial_year_start(today) + 1)[-2:]}",
            **kwargs,
        )


class ScheduleValueView(TemplateView):
    """One service's benchmark evidence and market-testing record."""

    template_name = "services/schedule_value.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        schedule = selectors.schedule_for_value_get(user=user, pk=self.kwargs["pk"])
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
            can_add=user.has_perm("services.add_benchmark", schedule),
            can_plan_exit=rules.has_perm("services.view_exit_plan", user, schedule),
            **kwargs,
        )


class _ScheduleFormView(FormView):
    perm = ""

    def dispatch(self, request, *args, **kwargs):
        self.schedule = selectors.schedule_for_value_get(user=request.user, pk=kwargs["pk"], perm=self.perm)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(schedule=self.schedule, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        return redirect("services:schedule_value", pk=self.schedule.pk)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class BenchmarkCreateView(_ScheduleFormView):
    template_name = "services/benchmark_form.html"
    form_class = BenchmarkForm
    perm = "services.add_benchmark"

    def save(self, form):
        benchmark = writes.benchmark_add(schedule=self.schedule, user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, f"Benchmark from {benchmark.source} added: £{benchmark.annual_equivalent:,.0f} a year."
        )


class MarketTestCreateView(_ScheduleFormView):
    template_name = "services/markettest_form.html"
    form_class = MarketTestForm
    perm = "services.add_markettest"

    def save(self, form):
        test = writes.market_test_record(schedule=self.schedule, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Market testing recorded: {test.label}.")


class ExitPlannerView(TemplateView):
    """What leaving the service would take if notice were served today or on a chosen date."""

    template_name = "services/exit_planner.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(serve_form=None))

    def get_context_data(self, serve_form=None, **kwargs):
        user = self.request.user
        schedule = selectors.schedule_for_value_get(user=user, pk=self.kwargs["pk"], perm="services.view_exit_plan")
        today = timezone.localdate()
        date_form = ServedOnForm(self.request.GET or None, auto_id="plan_%s")
        served_on = today
        if date_form.is_bound and date_form.is_valid() and date_form.cleaned_data["served_on"]:
            served_on = date_form.cleaned_data["served_on"]
        elif not date_form.is_bound:
            date_form = ServedOnForm(initial={"served_on": today}, auto_id="plan_%s")
        open_notice = selectors.open_notice_for(schedule)
        plan = exit_plan(
            schedule, served_on=served_on, siblings=selectors.department_siblings(schedule), open_notice=open_notice
        )
        can_serve = rules.has_perm("services.serve_notice", user, schedule) and open_notice is None
        if serve_form is None and can_serve:
            serve_form = ServeNoticeForm(initial={"served_on": today})
        return super().get_context_data(
            schedule=schedule,
            plan=plan,
            date_form=date_form,
            serve_form=serve_form,
            can_serve=can_serve,
            can_withdraw=open_notice is not None and rules.has_perm("services.withdraw_notice", user, open_notice),
            today=today,
            **kwargs,
        )


class NoticeServeView(View):
    """POST only: serve notice on a service, then show it on the exit planner."""

    http_method_names = ["post"]

    def post(self, request, pk):
        schedule = selectors.schedule_for_value_get(user=request.user, pk=pk, perm="services.serve_notice")
        form = ServeNoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = writes.notice_serve(schedule=schedule, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Notice served on {schedule.service}: it takes effect on {notice.effective_date:%-d %B %Y}.",
                )
                return redirect("services:exit_planner", pk=schedule.pk)
        view = ExitPlannerView(request=request, kwargs={"pk": pk}, args=())
        return view.render_to_response(view.get_context_data(serve_form=form))


class NoticeWithdrawView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        notice = selectors.notice_get(user=request.user, pk=pk, perm="services.withdraw_notice")
        try:
            writes.notice_withdraw(notice=notice, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Notice on {notice.schedule.service} withdrawn.")
        return redirect("services:exit_planner", pk=notice.schedule_id)
