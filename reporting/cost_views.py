"""The costs page (``/services/costs/``, URL name ``services:costs``): what the ALMOs pay the council
under live agreements, from the one cost rule (``agreements.costs``), and for agreements whose service
credits are switched on, charged / credited / net for the year (``reporting.cases.credits``, worked out
from the quarterly returns: why the page lives in ``reporting``). Thin: parse, call, render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from agreements import cost_selectors as selectors
from agreements import costs
from agreements.confidential import may_see_confidential_costs
from agreements.forms import CostFilterForm
from agreements.models import Schedule
from almo_sla import exports
from almo_sla.access import can
from reporting.cases.credits import ServiceCredits, credits_by_schedule
from services.periods import financial_year_label, financial_year_start


@dataclass
class CreditRow:
    schedule: Schedule
    credits: ServiceCredits
    can_open_terms: bool


@dataclass
class YearCredits:
    """Service credits on the costs page: one row per schedule that earns them, and the totals."""

    label: str
    rows: list[CreditRow] = field(default_factory=list)
    charged: Decimal = Decimal("0")
    credited: Decimal = Decimal("0")

    @property
    def net(self) -> Decimal:
        return self.charged - self.credited


def year_credits(*, user, schedules: list[Schedule], year: int) -> YearCredits:
    """Charged, credited and net for each schedule shown whose agreement has credits switched on (none
    when credits are off, the default). Schedules are those the user may see costs of (department officers:
    their department's); a cost marked commercially confidential is never shown to those who may not see it."""
    result = YearCredits(label=financial_year_label(year))
    hide_confidential = not may_see_confidential_costs(user)
    by_schedule = credits_by_schedule(schedules, year)
    for schedule in schedules:
        credits = by_schedule.get(schedule.pk)
        if credits is None or (hide_confidential and schedule.commercially_confidential):
            continue
        result.rows.append(
            CreditRow(schedule, credits, can(user, "reporting.view_servicecreditscheme", schedule.agreement))
        )
        result.charged += credits.charged
        result.credited += credits.credited
    return result


class CostView(TemplateView):
    """What the ALMO pays the council, where it goes, this year against last, and where service credits are
    switched on, charged / credited / net; CSV and Excel too."""

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
        credits = year_credits(user=request.user, schedules=schedules, year=year)
        export = request.GET.get("export")
        if export in exports.CONTENT_TYPES:
            return _cost_export(totals, credits, export)
        bars = costs.chart_bars(costs.chart_lines(totals.by_department))
        context = self.get_context_data(
            form=form,
            totals=totals,
            bars=bars,
            chart_height=len(bars) * 44 + 60,
            chart_folded=len(totals.by_department) - len(bars) + 1 if len(bars) < len(totals.by_department) else 0,
            credits=credits,
            export_query=_query_without_export(request),
        )
        return self.render_to_response(context)


def _credit_cells(charged: Decimal, credited: Decimal | None) -> list:
    return ["", ""] if credited is None else [credited, charged - credited]


def _query_without_export(request) -> str:
    query = request.GET.copy()
    query.pop("export", None)
    return query.urlencode()


def _cost_export(totals: costs.CostTotals, credits: YearCredits, fmt: str) -> HttpResponse:
    """The costs table; where service credits are switched on, also credited and net for the year
    (the same figures as the page's service credits table; blank for a schedule that earns none)."""
    credited = {row.schedule.pk: row.credits.credited for row in credits.rows}
    credit_headers = [f"Service credits {totals.label} (£)", f"Net {totals.label} (£)"] if credited else []
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
            *credit_headers,
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
                *(_credit_cells(row.this_year, credited.get(s.pk)) if credited else []),
            ]
        )
    total_credited = sum(credited.values(), Decimal("0"))
    data.append(
        ["Total", "", "", "", "", "", "", "", totals.total.last_year, totals.total.this_year, totals.total.change]
        + (_credit_cells(totals.total.this_year, total_credited) if credited else [])
    )
    return exports.export_response(data, fmt=fmt, filename=f"costs-{totals.label.replace('/', '-')}")
