"""Every object-level access rule of the project, in one place (django-rules).

Views ask ``user.has_perm("<app>.<action>_<model>", obj)``; querysets are narrowed the
same way in each app's ``selectors.py``. The role matrix test walks every URL with
every role against these rules.
"""

import rules

from services.roles import Role, almo_id_of, department_id_of, role_of


@rules.predicate
def is_administrator(user):
    return role_of(user) == Role.ADMINISTRATOR


@rules.predicate
def is_coordinator(user):
    return role_of(user) == Role.COORDINATOR


@rules.predicate
def is_department_officer(user):
    return role_of(user) == Role.DEPARTMENT_OFFICER


@rules.predicate
def is_board_member(user):
    return role_of(user) == Role.BOARD_MEMBER


@rules.predicate
def has_role(user):
    return role_of(user) is not None


@rules.predicate
def agreement_is_for_users_almo(user, agreement):
    return agreement is not None and agreement.almo_id == almo_id_of(user)


@rules.predicate
def agreement_covers_users_department(user, agreement):
    department_id = department_id_of(user)
    if agreement is None or department_id is None:
        return False
    return agreement.schedules.filter(service__department_id=department_id).exists()


@rules.predicate
def agreement_is_draft(user, agreement):
    return agreement is not None and agreement.is_editable


can_view_agreement = is_administrator | (
    (is_coordinator | is_board_member) & agreement_is_for_users_almo
) | (is_department_officer & agreement_covers_users_department)

rules.add_perm("agreements.view_agreement", can_view_agreement)
rules.add_perm("agreements.add_agreement", is_administrator | is_coordinator)
rules.add_perm(
    "agreements.change_agreement",
    is_administrator | (is_coordinator & agreement_is_for_users_almo & agreement_is_draft),
)
rules.add_perm("services.view_service", has_role)
rules.add_perm("services.change_service", is_administrator)


# ---------------------------------------------------------------------------
# Quarterly returns (issue 4)
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
    return quarterly_return is not None and quarterly_return.status in ("draft", "sent_back")


@rules.predicate
def return_is_submitted(user, quarterly_return):
    return quarterly_return is not None and quarterly_return.status == "submitted"


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
rules.add_perm("reporting.view_departures", has_role)
