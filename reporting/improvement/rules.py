"""Who may see and do what with improvement plans (django-rules).

Administrators, and the coordinators and board members of the plan's ALMO, read a plan
and everything in it; administrators and the ALMO's coordinators change it while it is
not closed. Board members read, never edit. Department officers do not see plans.
Every object rule takes the plan (views load the object and ask about its plan).

State rules (a closed plan cannot change; only a draft can be approved) are also
checked in ``selectors.plan_can`` because superusers pass every django-rules check.
"""

import rules

from services.roles import almo_id_of
from services.rules import is_administrator, is_board_member, is_coordinator


@rules.predicate
def plan_is_for_users_almo(user, plan):
    return plan is not None and plan.almo_id == almo_id_of(user)


@rules.predicate
def plan_is_open(user, plan):
    return plan is not None and plan.status != "closed"


@rules.predicate
def plan_is_draft(user, plan):
    return plan is not None and plan.status == "draft"


@rules.predicate
def plan_is_approved(user, plan):
    return plan is not None and plan.status == "approved"


reads_plans = is_administrator | is_coordinator | is_board_member
manages_plan = is_administrator | (is_coordinator & plan_is_for_users_almo)

rules.add_perm("reporting.list_improvementplan", reads_plans)
rules.add_perm("reporting.add_improvementplan", is_administrator | is_coordinator)
rules.add_perm(
    "reporting.view_improvementplan", is_administrator | ((is_coordinator | is_board_member) & plan_is_for_users_almo)
)
rules.add_perm("reporting.change_improvementplan", manages_plan & plan_is_open)
rules.add_perm("reporting.approve_improvementplan", manages_plan & plan_is_draft)
rules.add_perm("reporting.close_improvementplan", manages_plan & plan_is_approved)
rules.add_perm(
    "reporting.report_improvementplan", is_administrator | ((is_coordinator | is_board_member) & plan_is_for_users_almo)
)
