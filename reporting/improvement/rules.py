"""Who may see and do what with improvement plans (django-rules).

Administrators, and the coordinators and board members of the plan's ALMO, read a plan
and everything in it; so do the ALMO's tenant scrutiny panel members and the council's
client officer (every ALMO of their council), read-only (issue 14). Administrators and the
ALMO's coordinators change it while it is not closed. Board members read and ask for a
progress report; the panel and the council officer read plans and the reports already
produced, and write nothing. Department officers do not see plans. Plans hold no costs
(resources are posts and shares of time), so nothing in them is commercially confidential.
Every object rule takes the plan (views load the object and ask about its plan).

Ask these through ``almo_sla.access.can``: the state predicates (a closed plan cannot
change; only a draft can be approved) then hold for administrators too.
"""

import rules

from reporting.rules import almo_is_in_users_council
from services.roles import almo_id_of
from services.rules import (
    is_administrator,
    is_board_member,
    is_coordinator,
    is_council_officer,
    is_panel_member,
)


@rules.predicate
def plan_is_for_users_almo(user, plan):
    return plan is not None and plan.almo_id == almo_id_of(user)


@rules.predicate
def plan_is_in_users_council(user, plan):
    """The plan's ALMO is one of the council officer's council (the ALMO rule, asked of the plan's ALMO)."""
    return plan is not None and almo_is_in_users_council(user, plan.almo)


@rules.predicate
def plan_is_open(user, plan):
    return plan is not None and plan.status != "closed"


@rules.predicate
def plan_is_draft(user, plan):
    return plan is not None and plan.status == "draft"


@rules.predicate
def plan_is_approved(user, plan):
    return plan is not None and plan.status == "approved"


lists_plans = is_administrator | is_coordinator | is_board_member | is_panel_member | is_council_officer
reads_plan = (
    is_administrator
    | ((is_coordinator | is_board_member | is_panel_member) & plan_is_for_users_almo)
    | (is_council_officer & plan_is_in_users_council)
)
manages_plan = is_administrator | (is_coordinator & plan_is_for_users_almo)

rules.add_perm("reporting.list_improvementplan", lists_plans)
rules.add_perm("reporting.add_improvementplan", is_administrator | is_coordinator)
rules.add_perm("reporting.view_improvementplan", reads_plan)
rules.add_perm("reporting.change_improvementplan", manages_plan & plan_is_open)
rules.add_perm("reporting.approve_improvementplan", manages_plan & plan_is_draft)
rules.add_perm("reporting.close_improvementplan", manages_plan & plan_is_approved)
# Asking for a progress report (a POST that starts a PDF job); reading the reports produced is view_improvementplan.
rules.add_perm(
    "reporting.report_improvementplan", is_administrator | ((is_coordinator | is_board_member) & plan_is_for_users_almo)
)
