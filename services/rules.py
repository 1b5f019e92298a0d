"""Every object-level access rule of the project, in one place (django-rules).

Views ask ``user.has_perm("<app>.<action>_<model>", obj)``; querysets are narrowed the
same way in each app's ``selectors.py``. The role matrix test walks every URL with
every role against these rules.
"""

import rules

from services.roles import Role, almo_id_of, council_id_of, department_id_of, role_of


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
def is_panel_member(user):
    return role_of(user) == Role.PANEL_MEMBER


@rules.predicate
def is_council_officer(user):
    return role_of(user) == Role.COUNCIL_OFFICER


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


@rules.predicate
def is_agreement_signatory(user, agreement):
    return agreement is not None and user.pk is not None and user.pk in (
        agreement.council_signatory_id,
        agreement.almo_signatory_id,
    )


@rules.predicate
def agreement_is_for_users_council(user, agreement):
    return agreement is not None and agreement.council_id == council_id_of(user)


@rules.predicate
def agreement_is_settled(user, agreement):
    """Agreed, active or ended: what a tenant scrutiny panel reads (drafts are still being negotiated)."""
    return agreement is not None and agreement.status in ("agreed", "active", "ended")


can_view_agreement = (
    is_administrator
    | ((is_coordinator | is_board_member) & agreement_is_for_users_almo)
    | (is_department_officer & agreement_covers_users_department)
    | is_agreement_signatory
    | (is_panel_member & agreement_is_for_users_almo & agreement_is_settled)
    | (is_council_officer & agreement_is_for_users_council)
)

rules.add_perm("agreements.view_agreement", can_view_agreement)
rules.add_perm("agreements.add_agreement", is_administrator | is_coordinator)
# Only drafts are editable, by anyone: an agreed or active agreement changes through a variation.
rules.add_perm(
    "agreements.change_agreement",
    (is_administrator | (is_coordinator & agreement_is_for_users_almo)) & agreement_is_draft,
)
rules.add_perm("services.view_service", has_role)
rules.add_perm("services.change_service", is_administrator)


# ---------------------------------------------------------------------------
# Costs, value for money and notice planning (issue 6)
#
# Costs: every role may open the cost page; ``services.selectors.cost_schedules`` narrows
# it (coordinators and board members: their ALMO; department officers: their own
# department's services only; administrators: everything).
# Value for money, benchmarks, market tests, the exit planner and notices: administrators,
# and coordinators and board members of the agreement's ALMO, may read them; only
# administrators and the ALMO's coordinators enter benchmarks, record market tests and
# serve or withdraw notice. Department officers see none of it.
# ---------------------------------------------------------------------------

_LIVE_STATUSES = ("agreed", "active")


@rules.predicate
def schedule_is_for_users_almo(user, schedule):
    return schedule is not None and schedule.agreement.almo_id == almo_id_of(user)


@rules.predicate
def schedule_agreement_is_live(user, schedule):
    return schedule is not None and schedule.agreement.status in _LIVE_STATUSES


@rules.predicate
def notice_is_for_users_almo(user, notice):
    return notice is not None and notice.schedule.agreement.almo_id == almo_id_of(user)


@rules.predicate
def notice_is_open(user, notice):
    return notice is not None and notice.withdrawn_on is None


can_read_value = is_administrator | is_coordinator | is_board_member
can_read_schedule_value = is_administrator | ((is_coordinator | is_board_member) & schedule_is_for_users_almo)
can_act_on_schedule = is_administrator | (is_coordinator & schedule_is_for_users_almo)

rules.add_perm("services.view_costs", has_role & ~is_panel_member)
rules.add_perm("services.view_value_for_money", can_read_value)
rules.add_perm("services.view_schedule_value", can_read_schedule_value)
rules.add_perm("services.add_benchmark", can_act_on_schedule)
rules.add_perm("services.add_markettest", can_act_on_schedule)
rules.add_perm("services.view_exit_plan", can_read_schedule_value & schedule_agreement_is_live)
rules.add_perm("services.serve_notice", can_act_on_schedule & schedule_agreement_is_live)
rules.add_perm(
    "services.withdraw_notice", (is_administrator | (is_coordinator & notice_is_for_users_almo)) & notice_is_open
)
# --- Drafting, circulation, sign-off and variations (issue 3) -----------------------------


def _status(*statuses):
    @rules.predicate(name=f"agreement_status_in_{'_'.join(statuses)}")
    def check(user, agreement):
        return agreement is not None and agreement.status in statuses

    return check


is_own_almo_coordinator = is_coordinator & agreement_is_for_users_almo
coordinates = is_administrator | is_own_almo_coordinator

rules.add_perm("agreements.circulate_agreement", coordinates & agreement_is_draft)
rules.add_perm("agreements.start_next_draft", coordinates & _status("out_for_comment", "awaiting_signature"))
rules.add_perm("agreements.respond_comment", coordinates)
rules.add_perm("agreements.approve_agreement", is_agreement_signatory & _status("awaiting_signature"))
rules.add_perm("agreements.propose_variation", coordinates & _status("active", "agreed"))
rules.add_perm("agreements.decide_variation", is_agreement_signatory)
# Department officers see only their own services, so the whole-agreement history is not theirs to see.
rules.add_perm(
    "agreements.view_agreement_history",
    is_administrator | ((is_coordinator | is_board_member) & agreement_is_for_users_almo) | is_agreement_signatory,
)
rules.add_perm("agreements.view_all_schedules", ~is_department_officer | is_agreement_signatory)


@rules.predicate
def may_comment_on_version(user, version):
    """Department officers whose services are in the version, and the two signatories."""
    if version is None:
        return False
    agreement = version.agreement
    if user.pk in (agreement.council_signatory_id, agreement.almo_signatory_id):
        return True
    department_id = department_id_of(user)
    return is_department_officer(user) and any(
        s["department_id"] == department_id for s in version.snapshot["schedules"]
    )


rules.add_perm("agreements.comment_on_version", may_comment_on_version)


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


@rules.predicate
def return_is_for_users_council(user, quarterly_return):
    council_id = council_id_of(user)
    return quarterly_return is not None and council_id is not None and quarterly_return.agreement.council_id == council_id


@rules.predicate
def return_is_accepted(user, quarterly_return):
    return quarterly_return is not None and quarterly_return.status == "accepted"


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
rules.add_perm("reporting.view_departures", has_role)
# --- Board packs (reporting, issue 5) ---------------------------------------------------
# Board members, coordinators (their own ALMO) and administrators request and download
# packs; nobody else sees them.


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
# Tenant scrutiny panel members read their ALMO's settled agreements and accepted returns,
# never costs marked commercially confidential, nor versions, variations, packs or evidence.
# Council client officers read every ALMO of their council (not the boards' packs).
# ---------------------------------------------------------------------------------------

rules.add_perm("agreements.view_confidential_costs", has_role & ~is_panel_member)
# Versions, comments and variations carry every cost, confidential or not, and the negotiation.
rules.add_perm("agreements.view_drafting", has_role & ~is_panel_member)
rules.add_perm("reporting.view_evidence", can_view_return & ~is_panel_member)


@rules.predicate
def almo_is_in_users_council(user, almo):
    return almo is not None and council_id_of(user) is not None and almo.council_id == council_id_of(user)


@rules.predicate
def challenge_is_for_users_almo(user, challenge):
    return challenge is not None and challenge.almo_id == almo_id_of(user)


@rules.predicate
def challenge_is_in_users_council(user, challenge):
    return challenge is not None and council_id_of(user) is not None and challenge.almo.council_id == council_id_of(user)


@rules.predicate
def challenge_awaits_response(user, challenge):
    return challenge is not None and challenge.awaits_response


@rules.predicate
def challenge_may_be_escalated(user, challenge):
    return challenge is not None and challenge.may_be_escalated()


can_read_almo = is_administrator | (
    (is_coordinator | is_board_member | is_panel_member) & almo_is_users
) | (is_council_officer & almo_is_in_users_council)

rules.add_perm("reporting.list_challenges", is_administrator | is_coordinator | is_board_member | is_panel_member
               | is_council_officer)
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
rules.add_perm("reporting.escalate_challenge", is_panel_member & challenge_is_for_users_almo & challenge_may_be_escalated)

# Publishing a quarter's performance on the public page: the ALMO's coordinator (or an administrator).
rules.add_perm("reporting.publish_performance", is_administrator | (is_coordinator & almo_is_users))
rules.add_perm("reporting.view_tsm_summary", can_read_almo)


@rules.predicate
def complaint_is_for_users_almo(user, complaint):
    return complaint is not None and complaint.almo_id == almo_id_of(user)


@rules.predicate
def complaint_is_for_users_department(user, complaint):
    return complaint is not None and department_id_of(user) is not None and (
        complaint.service.department_id == department_id_of(user)
    )


@rules.predicate
def complaint_is_in_users_council(user, complaint):
    return complaint is not None and council_id_of(user) is not None and complaint.almo.council_id == council_id_of(user)


@rules.predicate
def complaint_is_open(user, complaint):
    return complaint is not None and complaint.is_open


@rules.predicate
def complaint_may_go_to_stage_two(user, complaint):
    return complaint is not None and complaint.may_go_to_stage_two


# Complaints name tenants: the ALMO (coordinator, board), the department whose service it is about,
# the council's client officer and administrators read them; panel members see the counts only.
rules.add_perm("reporting.list_complaints", is_administrator | is_coordinator | is_board_member | is_department_officer
               | is_council_officer)
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
    (is_administrator | (is_coordinator & complaint_is_for_users_almo) | (is_department_officer & complaint_is_for_users_department))
    & complaint_is_open,
)
# The complainant asks for stage 2 through the ALMO: its coordinator records it.
rules.add_perm(
    "reporting.escalate_complaint",
    (is_administrator | (is_coordinator & complaint_is_for_users_almo)) & complaint_may_go_to_stage_two,
)

# The council's view across its ALMOs.
rules.add_perm("reporting.view_council_overview", is_administrator | is_council_officer)
