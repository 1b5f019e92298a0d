"""Who may see and do what with escalation cases, procedures, monitoring meetings and service credits.

Cases work both ways, so both parties act on them: administrators; the coordinators of the
agreement's ALMO; and the officers of the council department the case concerns. Board
members read their ALMO's cases. A department officer raises a case against the ALMO
(late payment, missing information, no access) on an agreement covering their department;
a coordinator raises one against a council department.

The escalation procedure and service credit terms are part of the agreement: readable by
those who read the agreement's monitoring, changed only while the agreement is a draft.
Monitoring meetings: administrators and the ALMO's coordinators run them; board members read.
"""

import rules

from agreements.models import Agreement
from agreements.rules import agreement_covers_users_department, agreement_is_draft, agreement_is_for_users_almo
from services.roles import almo_id_of, department_id_of
from services.rules import has_role, is_administrator, is_board_member, is_coordinator, is_department_officer

LIVE = Agreement.LIVE_STATUSES


@rules.predicate
def case_is_for_users_almo(user, case):
    return case is not None and case.agreement.almo_id == almo_id_of(user)


@rules.predicate
def case_is_about_users_department(user, case):
    department_id = department_id_of(user)
    return case is not None and department_id is not None and case.department_id == department_id


@rules.predicate
def case_is_open(user, case):
    return case is not None and case.status == "open"


@rules.predicate
def agreement_is_live(user, agreement):
    return agreement is not None and agreement.status in LIVE


@rules.predicate
def meeting_is_for_users_almo(user, meeting):
    return meeting is not None and meeting.agreement.almo_id == almo_id_of(user)


case_party = (
    is_administrator
    | (is_coordinator & case_is_for_users_almo)
    | (is_department_officer & case_is_about_users_department)
)

rules.add_perm("reporting.list_escalationcase", has_role)
rules.add_perm("reporting.view_escalationcase", case_party | (is_board_member & case_is_for_users_almo))
rules.add_perm("reporting.decide_escalationcase", case_party & case_is_open)
rules.add_perm("reporting.close_escalationcase", case_party & case_is_open)
# The object is the agreement the case is raised under.
rules.add_perm(
    "reporting.add_escalationcase",
    agreement_is_live
    & (
        is_administrator
        | (is_coordinator & agreement_is_for_users_almo)
        | (is_department_officer & agreement_covers_users_department)
    ),
)

reads_agreement_monitoring = is_administrator | ((is_coordinator | is_board_member) & agreement_is_for_users_almo)
rules.add_perm("reporting.view_escalationprocedure", reads_agreement_monitoring)
rules.add_perm(
    "reporting.change_escalationprocedure",
    (is_administrator | (is_coordinator & agreement_is_for_users_almo)) & agreement_is_draft,
)
rules.add_perm("reporting.view_servicecreditscheme", reads_agreement_monitoring)
rules.add_perm(
    "reporting.change_servicecreditscheme",
    (is_administrator | (is_coordinator & agreement_is_for_users_almo)) & agreement_is_draft,
)

rules.add_perm("reporting.list_monitoringmeeting", is_administrator | is_coordinator | is_board_member)
rules.add_perm("reporting.add_monitoringmeeting", is_administrator | (is_coordinator & agreement_is_for_users_almo))
rules.add_perm(
    "reporting.view_monitoringmeeting",
    is_administrator | ((is_coordinator | is_board_member) & meeting_is_for_users_almo),
)
rules.add_perm("reporting.change_monitoringmeeting", is_administrator | (is_coordinator & meeting_is_for_users_almo))
