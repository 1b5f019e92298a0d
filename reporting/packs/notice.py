"""Notice periods: for each service, the earliest date notice could take effect and the last
date to give it to leave at the end of the term."""

from __future__ import annotations

from agreements.notices import earliest_effective_date, give_notice_by
from reporting.packs.records import NoticeLine


def notice(agreement, schedules, today) -> list[NoticeLine]:
    term = agreement.term_in_force(today)
    lines = []
    for schedule in schedules:
        served = next((n for n in schedule.notices.all() if n.withdrawn_on is None), None)
        lines.append(
            NoticeLine(
                department=schedule.service.department.name,
                service=schedule.service.name,
                months=schedule.notice_period_months,
                earliest_effective=earliest_effective_date(
                    today, schedule.notice_period_months, agreement.notice_alignment
                ),
                give_notice_by=give_notice_by(term.end, schedule.notice_period_months, agreement.notice_alignment)
                if term and term.end
                else None,
                served=served,
            )
        )
    return sorted(lines, key=lambda line: (line.months, line.earliest_effective, line.department, line.service))
