"""Pages for costs, notices and the exit planner. Thin: parse, call, render.

Their paths stay under ``/services/`` (URL names ``services:costs``, ``services:exit_planner``,
``services:notice_serve``, ``services:notice_withdraw``), as people bookmark them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from agreements import cost_selectors as selectors
from agreements import costs, notice_writes
from agreements.exit_planning import exit_plan
from agreements.forms import CostFilterForm, ServedOnForm, ServeNoticeForm
from almo_sla import exports
from almo_sla.access import can
from almo_sla.forms import add_validation_errors
from services.periods import financial_year_start


class CostView(TemplateView):
    """What the ALMO pays the council, where it goes, this year against last; CSV and Excel too."""

    template_name = "services/cost_summary.html"

    def get(self, request, *args, **kwargs):
        if not can(request.user, "agreements.view_costs"):
            raise PermissionDenied
        current = financial_year_start(timezone.localdate())
        years = selectors.cost_years(user=request.user, around=current)
        # The select always shows the year the page shows: the current year until another is chosen,
        # so changing the category keeps the year.
        data = request.GET.copy()
        if not data.get("year"):
            data["year"] = str(current)
        form = CostFilterForm(data, years=years)
        year, category = current, ""
        if form.is_valid():
            year = form.cleaned_data["year"] or current
            category = form.cleaned_data["category"]
        schedules = list(selectors.cost_schedules(user=request.user, category=category))
        totals = costs.cost_totals(schedules, year=year)
        export = request.GET.get("export")
        if export in exports.CONTENT_TYPES:
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
    data = exports.dataset(
        headers=[
            "Agreement",
            "ALMO",
            "Department",
            "Service",
            "Category",
            "Charged to the HRA",
            "How the cost is apportioned",
            "Share of staff time (%)",
            f"Cost {totals.last_label} (£)",
            f"Cost {totals.label} (£)",
            "Change (£)",
        ],
        title=f"Costs {totals.label.replace('/', '-')}",
        rows=[],
    )
    for row in totals.schedules:
        s = row.schedule
        data.append(
            [
                s.agreement.reference,
                s.agreement.almo.name,
                s.service.department.name,
                s.service.name,
                s.service.get_category_display(),
                "Yes" if s.service.hra_funded else "No",
                s.cost_basis,
                s.staff_time_share if s.staff_time_share is not None else "",
                row.last_year,
                row.this_year,
                row.change,
            ]
        )
    data.append(
        ["Total", "", "", "", "", "", "", "", totals.total.last_year, totals.total.this_year, totals.total.change]
    )
    return exports.export_response(data, fmt=fmt, filename=f"costs-{totals.label.replace('/', '-')}")


class ExitPlannerView(TemplateView):
    """What leaving the service would take if notice were served today or on a chosen date."""

    template_name = "services/exit_planner.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(serve_form=None))

    def get_context_data(self, serve_form=None, **kwargs):
        user = self.request.user
        schedule = selectors.schedule_with_costs_get(user=user, pk=self.kwargs["pk"], perm="agreements.view_exit_plan")
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
        can_serve = can(user, "agreements.serve_notice", schedule) and open_notice is None
        if serve_form is None and can_serve:
            serve_form = ServeNoticeForm(initial={"served_on": today})
        return super().get_context_data(
            schedule=schedule,
            plan=plan,
            date_form=date_form,
            serve_form=serve_form,
            can_serve=can_serve,
            can_withdraw=open_notice is not None and can(user, "agreements.withdraw_notice", open_notice),
            today=today,
            **kwargs,
        )


class NoticeServeView(View):
    """POST only: serve notice on a service, then show it on the exit planner."""

    http_method_names = ["post"]

    def post(self, request, pk):
        schedule = selectors.schedule_with_costs_get(user=request.user, pk=pk, perm="agreements.serve_notice")
        form = ServeNoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = notice_writes.notice_serve(schedule=schedule, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
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
        notice = selectors.notice_get(user=request.user, pk=pk, perm="agreements.withdraw_notice")
        try:
            notice_writes.notice_withdraw(notice=notice, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Notice on {notice.schedule.service} withdrawn.")
        return redirect("services:exit_planner", pk=notice.schedule_id)
