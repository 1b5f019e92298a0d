"""Who a user is: their role and organisation, read from their profile."""

from __future__ import annotations

from services.models import Profile

Role = Profile.Role


def profile_of(user) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def role_of(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    profile = profile_of(user)
    return profile.role if profile else None


def is_administrator(user) -> bool:
    return role_of(user) == Role.ADMINISTRATOR


def almo_id_of(user) -> int | None:
    profile = profile_of(user)
    return profile.almo_id if profile else None


def department_id_of(user) -> int | None:
    profile = profile_of(user)
    return profile.department_id if profile else None


def council_id_of(user) -> int | None:
    """The council of a council client officer (None for every other role)."""
    profile = profile_of(user)
    return profile.council_id if profile else None
