"""Who is who: the role predicates every app's rules are built from, and the service catalogue's rules.

Each app keeps its own object rules in its ``rules.py`` (django-rules, loaded at start-up);
views, templates' flags and exports ask them through ``almo_sla.access.can``, and each app's
selectors narrow querysets with the same predicates. The role matrix test walks every URL
with every role against these rules.
"""

import rules

from services.roles import Role, role_of


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
    """A tenant or leaseholder on the ALMO's tenant scrutiny panel (issue 14)."""
    return role_of(user) == Role.PANEL_MEMBER


@rules.predicate
def is_council_officer(user):
    """The council's client officer, who sees every ALMO of the council (issue 14)."""
    return role_of(user) == Role.COUNCIL_OFFICER


@rules.predicate
def has_role(user):
    return role_of(user) is not None


rules.add_perm("services.view_service", has_role)
rules.add_perm("services.change_service", is_administrator)
