"""Who may see or do what with agreements: drafting, sign-off, variations, costs, notices and
the exit planner (django-rules, loaded at start-up by ``rules.apps.AutodiscoverRulesConfig``).

Ask them with ``almo_sla.access.can``; ``agreements.selectors`` and
``agreements.cost_selectors`` narrow querysets with the same predicates. Administrators get
no bypass of the state rules: an agreed agreement is varied, not edited, by anyone.
"""

import rules
from django.utils import timezone

from agreements.models import Agreement
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
def agreement_is_live(user, agreement):
    return agreement is not None and agreement.is_live


@rules.predicate
def is_agreement_signatory(user, agreement):
    return (
        agreement is not None
        and user.pk is not None
        and user.pk
        in (
            agreement.council_signatory_id,
            agreement.almo_signatory_id,
        )
    )


@rules.predicate
def signs_with_authority(user, agreement):
    """A named signatory who still holds the signing authority for their party (``Agreement.signatory_errors``)."""
    if agreement is None or user.pk is None:
        return False
    for field in ("council_signatory", "almo_signatory"):
        if getattr(agreement, f"{field}_id") == user.pk and field not in agreement.signatory_errors():
            return True
    return False


def _status(*statuses):
    @rules.predicate(name=f"agreement_status_in_{'_'.join(statuses)}")
    def check(user, agreement):
        return agreement is not None and agreement.status in statuses

    return check


@rules.predicate
def agreement_is_for_users_council(user, agreement):
    return agreement is not None and council_id_of(user) is not None and agreement.council_id == council_id_of(user)


@rules.predicate
def agreement_is_settled(user, agreement):
    """Agreed, active or ended: what a tenant scrutiny panel reads (drafts are still being negotiated)."""
    return agreement is not None and agreement.status in Agreement.REPORTABLE_STATUSES


can_view_agreement = (
    is_administrator
    | ((is_coordinator | is_board_member) & agreement_is_for_users_almo)
    | (is_department_officer & agreement_covers_users_department)
    | is_agreement_signatory
    | (is_panel_member & agreement_is_for_users_almo & agreement_is_settled)
    | (is_council_officer & agreement_is_for_users_council)
)
is_own_almo_coordinator = is_coordinator & agreement_is_for_users_almo
coordinates = is_administrator | is_own_almo_coordinator

rules.add_perm("agreements.view_agreement", can_view_agreement)
rules.add_perm("agreements.add_agreement", is_administrator | is_coordinator)
# Only drafts are editable, by anyone: an agreed or active agreement changes through a variation.
rules.add_perm("agreements.change_agreement", coordinates & agreement_is_draft)
# Whole-agreement figures (totals, every schedule's cost and notice period): not for department
# officers, who see their own services only, unless they sign the agreement.
rules.add_perm("agreements.view_all_schedules", ~is_department_officer | is_agreement_signatory)
rules.add_perm(
    "agreements.view_agreement_history",
    is_administrator | ((is_coordinator | is_board_member) & agreement_is_for_users_almo) | is_agreement_signatory,
)

# --- Drafting, circulation, sign-off and variations -------------------------------------
rules.add_perm("agreements.circulate_agreement", coordinates & agreement_is_draft)
rules.add_perm(
    "agreements.start_next_draft",
    coordinates & _status(Agreement.Status.OUT_FOR_COMMENT, Agreement.Status.AWAITING_SIGNATURE),
)
rules.add_perm("agreements.respond_comment", coordinates)
# Approving and declining: a named signatory holding the authority; the services check it again
# under the row lock, with the version or variation revision the signatory read.
rules.add_perm("agreements.approve_agreement", signs_with_authority & _status(Agreement.Status.AWAITING_SIGNATURE))
rules.add_perm("agreements.propose_variation", coordinates & agreement_is_live)
rules.add_perm("agreements.withdraw_variation", coordinates & agreement_is_live)
rules.add_perm("agreements.decide_variation", signs_with_authority)


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


@rules.predicate
def version_takes_comments(user, version):
    """The version's comment window is open today (``AgreementVersion.commenting_closed_reason``)."""
    return version is not None and version.commenting_open(timezone.localdate())


rules.add_perm("agreements.comment_on_version", may_comment_on_version & version_takes_comments)

# --- Costs, notices and the exit planner -------------------------------------------------
# Costs: every role may open the cost page; ``cost_selectors.cost_schedules`` narrows it
# (coordinators and board members: their ALMO; department officers: their own department's
# services only; administrators: everything). Notices and the exit planner: administrators,
# and coordinators and board members of the agreement's ALMO; only administrators and the
# ALMO's coordinators serve or withdraw notice. Department officers see none of it.


@rules.predicate
def schedule_is_for_users_almo(user, schedule):
    return schedule is not None and schedule.agreement.almo_id == almo_id_of(user)


@rules.predicate
def schedule_agreement_is_live(user, schedule):
    return schedule is not None and schedule.agreement.is_live


@rules.predicate
def notice_is_for_users_almo(user, notice):
    return notice is not None and notice.schedule.agreement.almo_id == almo_id_of(user)


@rules.predicate
def notice_is_open(user, notice):
    return notice is not None and notice.withdrawn_on is None


can_read_notices = is_administrator | is_coordinator | is_board_member
can_read_schedule_terms = is_administrator | ((is_coordinator | is_board_member) & schedule_is_for_users_almo)
can_act_on_schedule = is_administrator | (is_coordinator & schedule_is_for_users_almo)

rules.add_perm("agreements.view_costs", has_role & ~is_panel_member)
rules.add_perm("agreements.view_notices", can_read_notices)
rules.add_perm("agreements.view_exit_plan", can_read_schedule_terms & schedule_agreement_is_live)
rules.add_perm("agreements.serve_notice", can_act_on_schedule & schedule_agreement_is_live)
rules.add_perm(
    "agreements.withdraw_notice", (is_administrator | (is_coordinator & notice_is_for_users_almo)) & notice_is_open
)


# --- Tenants and the council (issue 14) ---------------------------------------------------
# Tenant scrutiny panel members read their ALMO's settled agreements without the costs marked
# commercially confidential (``agreements.confidential``), and no versions, comments or
# variations: those carry every cost and the negotiation.
rules.add_perm("agreements.view_confidential_costs", has_role & ~is_panel_member)
rules.add_perm("agreements.view_drafting", has_role & ~is_panel_member)
