"""Who may see or do what with quarterly returns, departures, value for money and board packs
(django-rules, loaded at start-up). Ask them with ``almo_sla.access.can``."""

import rules
from django.utils import timezone

from agreements.rules import schedule_is_for_users_almo
from reporting.models import QuarterlyReturn
from services.roles import almo_id_of, department_id_of
from services.rules import has_role, is_administrator, is_board_member, is_coordinator, is_department_officer

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
    return quarterly_return is not None and department_id is not None and quarterly_return.department_id == department_id


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


can_view_return = (
    is_administrator
    | ((is_coordinator | is_board_member) & return_is_for_users_almo)
    | (is_department_officer & return_is_for_users_department)
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
