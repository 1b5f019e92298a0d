"""The yearly Tenant Satisfaction Measures summary for an ALMO's homes, from accepted returns and complaints.

Management-information measures come from the standards tagged with a TSM code (the year's
figure is the mean of the quarters for rates and times, the sum for counts); CH01 and CH02
come from the complaints recorded about the council's services. The council, as landlord,
signs off the return to the regulator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from agreements.models import TSM_CODES, Standard
from reporting.complaints.models import Complaint, ComplaintStage
from reporting.models import QuarterlyReturn, StandardResult
from services.periods import Quarter, financial_year_first_day

TSM_LABELS = dict(TSM_CODES)


@dataclass
class TsmLine:
    code: str
    label: str
    standard: str
    service: str
    quarters: list[tuple[Quarter, str]] = field(default_factory=list)
    year_value: str = ""
    note: str = ""


def tsm_summary(*, almo, year: int) -> list[TsmLine]:
    """Three queries whatever the size of the year."""
    quarters = [Quarter(year, n) for n in range(1, 5)]
    results = (
        StandardResult.objects.filter(
            quarterly_return__agreement__almo=almo,
            quarterly_return__financial_year=year,
            quarterly_return__status=QuarterlyReturn.Status.ACCEPTED,
        )
        .exclude(standard__tsm_code="")
        .select_related("standard__schedule__service", "quarterly_return")
        .order_by("standard__tsm_code", "standard__title", "quarterly_return__quarter")
    )
    lines: dict[int, TsmLine] = {}
    values: dict[int, dict[Quarter, Decimal]] = {}
    for r in results:
        st = r.standard
        line = lines.setdefault(
            st.pk,
            TsmLine(
                code=st.tsm_code,
                label=TSM_LABELS.get(st.tsm_code, st.tsm_code),
                standard=st.title,
                service=st.schedule.service.name,
            ),
        )
        if r.actual is not None:
            values.setdefault(st.pk, {})[r.quarterly_return.period] = r.actual
    standards = {s.pk: s for s in Standard.objects.filter(pk__in=list(lines))}
    for pk, line in lines.items():
        st = standards[pk]
        found = values.get(pk, {})
        line.quarters = [(q, st.format_value(found[q]) if q in found else "") for q in quarters]
        if found:
            figures = list(found.values())
            if st.unit == Standard.Unit.COUNT:
                line.year_value, line.note = st.format_value(sum(figures)), "total of the quarters"
            else:
                mean = (sum(figures) / len(figures)).quantize(Decimal("0.1"))
                line.year_value, line.note = (
                    st.format_value(mean),
                    f"mean of {len(figures)} quarter{'s' if len(figures) != 1 else ''}",
                )
    return sorted(lines.values(), key=lambda x: (x.code, x.standard)) + _complaint_lines(almo=almo, year=year)


def _complaint_lines(*, almo, year: int) -> list[TsmLine]:
    first, last = financial_year_first_day(year), financial_year_first_day(year + 1)
    complaints = list(
        Complaint.objects.filter(almo=almo, received_on__gte=first, received_on__lt=last).prefetch_related(
            Prefetch("stages", queryset=ComplaintStage.objects.order_by("number"))
        )
    )
    stages = [s for c in complaints for s in c.stages.all()]
    lines = []
    homes = almo.homes_managed
    for number in (1, 2):
        count = sum(1 for s in stages if s.number == number)
        per_thousand = (
            f"{Decimal(count * 1000 / homes).quantize(Decimal('0.01'))} per 1,000 homes"
            if homes
            else "homes not recorded"
        )
        lines.append(
            TsmLine(
                code="CH01",
                label=TSM_LABELS["CH01"],
                standard=f"Stage {number} complaints",
                service="Council services",
                year_value=per_thousand,
                note=f"{count} received",
            )
        )
    for number in (1, 2):
        answered = [s for s in stages if s.number == number and s.responded_on is not None]
        in_time = sum(1 for s in answered if s.answered_in_time)
        share = f"{round(100 * in_time / len(answered))}%" if answered else "none answered"
        lines.append(
            TsmLine(
                code="CH02",
                label=TSM_LABELS["CH02"],
                standard=f"Stage {number} responses in time",
                service="Council services",
                year_value=share,
                note=f"{in_time} of {len(answered)}",
            )
        )
    return lines
