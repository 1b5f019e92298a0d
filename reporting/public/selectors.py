"""Reads for the public performance pages. Only accepted returns of published quarters ever leave here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from reporting.models import QuarterlyReturn, StandardResult
from reporting.public import plain
from reporting.public.models import PublishedQuarter
from services.models import Almo
from services.periods import Quarter


def published_almos() -> list[Almo]:
    return list(Almo.objects.filter(published_quarters__isnull=False).distinct().order_by("name"))


def almo_get(*, slug: str) -> Almo:
    almo = Almo.objects.select_related("council").filter(slug=slug).first()
    if almo is None:
        raise Http404("No such ALMO.")
    return almo


def published_quarters(*, almo: Almo) -> list[Quarter]:
    return [
        Quarter(y, q)
        for y, q in PublishedQuarter.objects.filter(almo=almo)
        .order_by("-financial_year", "-quarter")
        .values_list("financial_year", "quarter")
    ]


def public_results(*, almo: Almo) -> QuerySet[StandardResult]:
    """Results the public may see: accepted returns of the ALMO, in quarters its coordinator published."""
    published = PublishedQuarter.objects.filter(
        almo_id=almo.pk,
        financial_year=OuterRef("quarterly_return__financial_year"),
        quarter=OuterRef("quarterly_return__quarter"),
    )
    return (
        StandardResult.objects.filter(
            quarterly_return__agreement__almo=almo,
            quarterly_return__status=QuarterlyReturn.Status.ACCEPTED,
        )
        .filter(Exists(published))
        .select_related("standard__schedule__service__department", "quarterly_return")
        .order_by(
            "-quarterly_return__financial_year",
            "-quarterly_return__quarter",
            "standard__schedule__service__department__name",
            "standard__schedule__service__name",
            "standard__position",
            "standard_id",
        )
    )


@dataclass
class PublicLine:
    result: StandardResult
    sentence: str
    trend: str


@dataclass
class PublicService:
    name: str
    department: str
    lines: list[PublicLine] = field(default_factory=list)


def quarter_page(*, almo: Almo, quarter: Quarter) -> list[PublicService]:
    """Each service's standards for a published quarter, with the trend against the published quarter before.

    Two queries whatever the number of services."""
    rows = list(public_results(almo=almo))
    by_quarter: dict[Quarter, dict[int, StandardResult]] = {}
    for row in rows:
        by_quarter.setdefault(row.quarterly_return.period, {})[row.standard_id] = row
    if quarter not in by_quarter:
        raise Http404("That quarter is not published.")
    earlier = sorted((q for q in by_quarter if q < quarter), reverse=True)
    services: dict[int, PublicService] = {}
    for row in (r for r in rows if r.quarterly_return.period == quarter):
        service = row.standard.schedule.service
        group = services.setdefault(service.pk, PublicService(name=service.name, department=service.department.name))
        previous = next((by_quarter[q][row.standard_id] for q in earlier if row.standard_id in by_quarter[q]), None)
        group.lines.append(PublicLine(result=row, sentence=plain.sentence(row), trend=plain.trend(row, previous)))
    return sorted(services.values(), key=lambda s: (s.department, s.name))


@dataclass
class Publishable:
    quarter: Quarter
    returns: int
    accepted: int
    waiting: list[str]

    @property
    def ready(self) -> bool:
        return self.returns > 0 and self.accepted == self.returns


def unpublished_quarters(*, almo: Almo, with_waiting: bool = True) -> list[Publishable]:
    """Quarters with returns that are not yet published, newest first, with whether every return is
    accepted. Counted in the database (one grouped query); ``with_waiting`` adds one query for the
    departments each quarter waits for (the publish page names them; the dashboard needs only which
    quarters are ready)."""
    done = set(published_quarters(almo=almo))
    returns = QuarterlyReturn.objects.filter(agreement__almo=almo)
    found: dict[Quarter, Publishable] = {}
    for year, number, total, accepted in (
        returns.values_list("financial_year", "quarter")
        .annotate(total=Count("pk"), accepted=Count("pk", filter=Q(status=QuarterlyReturn.Status.ACCEPTED)))
        .order_by()
    ):
        period = Quarter(year, number)
        if period not in done:
            found[period] = Publishable(quarter=period, returns=total, accepted=accepted, waiting=[])
    if with_waiting and found:
        statuses = dict(QuarterlyReturn.Status.choices)
        for year, number, department, status in (
            returns.exclude(status=QuarterlyReturn.Status.ACCEPTED)
            .order_by("-financial_year", "-quarter", "department__name", "pk")
            .values_list("financial_year", "quarter", "department__name", "status")
        ):
            item = found.get(Quarter(year, number))
            if item is not None:
                item.waiting.append(f"{department} ({str(statuses[status]).lower()})")
    return sorted(found.values(), key=lambda p: p.quarter, reverse=True)
