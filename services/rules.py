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
