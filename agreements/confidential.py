"""Costs marked commercially confidential (``Schedule.commercially_confidential``).

Tenant scrutiny panel members read their ALMO's agreements without them. The rule is
``agreements.view_confidential_costs`` (agreements/rules.py); this module is where every page
and export that shows a schedule's cost asks it: in SQL for sums and tables, in memory for
schedules already loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When

from almo_sla.access import can


def may_see_confidential_costs(user) -> bool:
    return can(user, "agreements.view_confidential_costs")


def visible_cost_total(user, prefix: str = ""):
    """``Sum`` of the annual costs the user may see, for an annotation (``prefix``: the path to the schedule)."""
    if may_see_confidential_costs(user):
        return Sum(f"{prefix}annual_cost")
    return Sum(f"{prefix}annual_cost", filter=Q(**{f"{prefix}commercially_confidential": False}))


def visible_cost(user):
    """A schedule's annual cost, or NULL when it is confidential and the user may not see it."""
    if may_see_confidential_costs(user):
        return F("annual_cost")
    return Case(
        When(commercially_confidential=True, then=Value(None)),
        default=F("annual_cost"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def withhold_confidential_costs(*, user, schedules: Iterable) -> list:
    """The schedules with every cost figure of confidential ones blanked (in memory, never saved) for users
    who may not see them; each gets ``cost_withheld`` so a page can say why the figure is missing."""
    schedules = list(schedules)
    hide = not may_see_confidential_costs(user)
    for schedule in schedules:
        schedule.cost_withheld = hide and schedule.commercially_confidential
        if schedule.cost_withheld:
            schedule.annual_cost = None
            schedule.cost_basis = ""
            schedule.staff_time_share = None
            schedule._prefetched_objects_cache = {
                **getattr(schedule, "_prefetched_objects_cache", {}),
                "year_costs": schedule.year_costs.none(),
            }
            schedule.recorded_costs = []  # as prefetched by ``cost_selectors.with_costs``
    return schedules
