"""Who may see or do what with quarterly returns, departures, value for money and board packs
(django-rules, loaded at start-up). Ask them with ``almo_sla.access.can``."""

import rules
from django.utils import timezone

from agreements.rules import schedule_is_for_users_almo
from reporting.models import QuarterlyReturn
from services.roles import almo_id_of, council_id_of, department_id_of
from services.rules import (
    has_role,
    is_administrator,
    is_board_member,
    is_coordinator,
    is_council_officer,
    is_department_officer,
    is_panel_member,
)

# ---------------------------------------------------------------------------
# Quarterly returns
#
# Department officers see, fill and submit only their own department's returns;
# coordinators see and review the returns of their ALMO's agreements; board members
# read those; administrators do everything. The object is a QuarterlyReturn (for
# evidence and departures, the return they belong to).
# ---------------------------------------------------------------------------


@rules.predicate
def return_is_for_users_department(user, quarterly_return):
    department_id = department_id_of(user)
    return (
        quarterly_return is not None and department_id is not None and quarterly_return.department_id == department_id
    )


@rules.predicate
def return_is_for_users_almo(user, quarterly_return):
    almo_id = almo_id_of(user)
    return quarterly_return is not None and almo_id is not None and quarterly_return.agreement.almo_id == almo_id


@rules.predicate
def return_is_editable(user, quarterly_return):
    return quarterly_return is not None and quarterly_return.is_editable


@rules.predicate
def return_is_submitted(user, quarterly_return):
    return quarterly_return is not None and quarterly_return.status == QuarterlyReturn.Status.SUBMITTED


@rules.predicate
def return_is_for_users_council(user, quarterly_return):
    council_id = council_id_of(user)
    return (
        quarterly_return is not None and council_id is not None and quarterly_return.agreement.council_id == council_id
    )


@rules.predicate
def return_is_accepted(user, quarterly_return):
    return quarterly_return is not None and quarterly_return.status == QuarterlyReturn.Status.ACCEPTED


can_view_return = (
    is_administrator
    | ((is_coordinator | is_board_member) & return_is_for_users_almo)
    | (is_department_officer & return_is_for_users_department)
    | (is_panel_member & return_is_for_users_almo & return_is_accepted)
    | (is_council_officer & return_is_for_users_council)
)
can_fill_return = (is_administrator | (is_department_officer & return_is_for_users_department)) & return_is_editable

rules.add_perm("reporting.view_quarterlyreturn", can_view_return)
rules.add_perm("reporting.change_quarterlyreturn", can_fill_return)
rules.add_perm("reporting.submit_quarterlyreturn", can_fill_return)
rules.add_perm(
    "reporting.review_quarterlyreturn",
    (is_administrator | (is_coordinator & return_is_for_users_almo)) & return_is_submitted,
)
# Remedial actions stay open across quarters: the department (or the coordinator) records when they are resolved.
rules.add_perm(
    "reporting.resolve_departure",
    is_administrator
    | (is_department_officer & return_is_for_users_department)
    | (is_coordinator & return_is_for_users_almo),
)
rules.add_perm("reporting.open_returns", is_administrator | is_coordinator)


@rules.predicate
def return_is_overdue(user, quarterly_return):
    """Not submitted and past its due date (``QuarterlyReturn.progress``, by the local date)."""
    return (
        quarterly_return is not None
        and quarterly_return.progress(timezone.localdate()) == QuarterlyReturn.Progress.OVERDUE
    )


# Chasing an overdue return ("send a reminder now"): whoever reviews the ALMO's returns.
rules.add_perm(
    "reporting.remind_quarterlyreturn",
    (is_administrator | (is_coordinator & return_is_for_users_almo)) & return_is_overdue,
)
rules.add_perm("reporting.view_departures", has_role)

# --- Value for money: administrators, and coordinators and board members of the ALMO read it;
# administrators and the ALMO's coordinators enter benchmarks and market tests.
can_read_value = is_administrator | is_coordinator | is_board_member
can_read_schedule_value = is_administrator | ((is_coordinator | is_board_member) & schedule_is_for_users_almo)
can_act_on_schedule = is_administrator | (is_coordinator & schedule_is_for_users_almo)

rules.add_perm("reporting.view_value_for_money", can_read_value)
rules.add_perm("reporting.view_schedule_value", can_read_schedule_value)
rules.add_perm("reporting.add_benchmark", can_act_on_schedule)
rules.add_perm("reporting.add_markettest", can_act_on_schedule)

# --- Board packs: board members, coordinators (their own ALMO) and administrators.


@rules.predicate
def almo_is_users(user, almo):
    return almo is not None and almo.pk == almo_id_of(user)


@rules.predicate
def board_pack_is_for_users_almo(user, pack):
    return pack is not None and pack.almo_id == almo_id_of(user)


can_use_board_packs = is_administrator | is_coordinator | is_board_member
rules.add_perm("reporting.list_boardpack", can_use_board_packs)
rules.add_perm("reporting.add_boardpack", is_administrator | ((is_coordinator | is_board_member) & almo_is_users))
rules.add_perm(
    "reporting.view_boardpack", is_administrator | ((is_coordinator | is_board_member) & board_pack_is_for_users_almo)
)


# ---------------------------------------------------------------------------------------
# Tenants and the council (issue 14)
#
# Tenant scrutiny panel members read their ALMO's accepted returns (not evidence, which may
# name people) and raise challenges; the coordinator answers them; the panel escalates.
# Council client officers read every ALMO of their council (not the boards' packs).
# ---------------------------------------------------------------------------------------

rules.add_perm("reporting.view_evidence", can_view_return & ~is_panel_member)


@rules.predicate
def almo_is_in_users_council(user, almo):
    return almo is not None and council_id_of(user) is not None and almo.council_id == council_id_of(user)


@rules.predicate
def challenge_is_for_users_almo(user, challenge):
    return challenge is not None and challenge.almo_id == almo_id_of(user)


@rules.predicate
def challenge_is_in_users_council(user, challenge):
    council_id = council_id_of(user)
    return challenge is not None and council_id is not None and challenge.almo.council_id == council_id


@rules.predicate
def challenge_awaits_response(user, challenge):
    return challenge is not None and challenge.awaits_response


@rules.predicate
def challenge_may_be_escalated(user, challenge):
    return challenge is not None and challenge.may_be_escalated()


can_read_almo = (
    is_administrator
    | ((is_coordinator | is_board_member | is_panel_member) & almo_is_users)
    | (is_council_officer & almo_is_in_users_council)
)

rules.add_perm(
    "reporting.list_challenges",
    is_administrator | is_coordinator | is_board_member | is_panel_member | is_council_officer,
)
rules.add_perm("reporting.add_challenge", is_panel_member & almo_is_users)
rules.add_perm(
    "reporting.view_challenge",
    is_administrator
    | ((is_coordinator | is_board_member | is_panel_member) & challenge_is_for_users_almo)
    | (is_council_officer & challenge_is_in_users_council),
)
rules.add_perm(
    "reporting.respond_challenge",
    (is_administrator | (is_coordinator & challenge_is_for_users_almo)) & challenge_awaits_response,
)
rules.add_perm(
    "reporting.escalate_challenge", is_panel_member & challenge_is_for_users_almo & challenge_may_be_escalated
)

# Publishing a quarter's performance on the public page: the ALMO's coordinator (or an administrator).
rules.add_perm("reporting.publish_performance", is_administrator | (is_coordinator & almo_is_users))
rules.add_perm("reporting.view_tsm_summary", can_read_almo)


@rules.predicate
def complaint_is_for_users_almo(user, complaint):
    return complaint is not None and complaint.almo_id == almo_id_of(user)


@rules.predicate
def complaint_is_for_users_department(user, complaint):
    return (
        complaint is not None
        and department_id_of(user) is not None
        and complaint.service.department_id == department_id_of(user)
    )


@rules.predicate
def complaint_is_in_users_council(user, complaint):
    council_id = council_id_of(user)
    return complaint is not None and council_id is not None and complaint.almo.council_id == council_id


@rules.predicate
def complaint_is_open(user, complaint):
    return complaint is not None and complaint.is_open


@rules.predicate
def complaint_may_go_to_stage_two(user, complaint):
    return complaint is not None and complaint.may_go_to_stage_two


# Complaints name tenants: the ALMO (coordinator, board), the department whose service it is about,
# the council's client officer and administrators read them; panel members see the counts only.
rules.add_perm(
    "reporting.list_complaints",
    is_administrator | is_coordinator | is_board_member | is_department_officer | is_council_officer,
)
rules.add_perm("reporting.add_complaint", is_administrator | is_coordinator)
rules.add_perm("reporting.add_complaint_for_almo", is_administrator | (is_coordinator & almo_is_users))
rules.add_perm(
    "reporting.view_complaint",
    is_administrator
    | ((is_coordinator | is_board_member) & complaint_is_for_users_almo)
    | (is_department_officer & complaint_is_for_users_department)
    | (is_council_officer & complaint_is_in_users_council),
)
rules.add_perm(
    "reporting.handle_complaint",
    (
        is_administrator
        | (is_coordinator & complaint_is_for_users_almo)
        | (is_department_officer & complaint_is_for_users_department)
    )
    & complaint_is_open,
)
# The complainant asks for stage 2 through the ALMO: its coordinator records it.
rules.add_perm(
    "reporting.escalate_complaint",
    (is_administrator | (is_coordinator & complaint_is_for_users_almo)) & complaint_may_go_to_stage_two,
)

# The council's view across its ALMOs.
rules.add_perm("reporting.view_council_overview", is_administrator | is_council_officer)
