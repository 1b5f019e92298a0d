"""The one way views, templates' flags, exports and the API ask who may do what.

``can(user, perm, obj)`` asks the rules registered in each app's ``rules.py`` (django-rules)
directly. It deliberately does not go through ``user.has_perm``: Django's
``PermissionsMixin.has_perm`` answers True for every active superuser before any backend is
asked, which would let an administrator past state rules (commenting on a closed version,
editing an agreed agreement). Administrators get their rights from the ``is_administrator``
predicate, combined with the same state predicates as everyone else.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied


def can(user, perm: str, obj=None) -> bool:
    """Whether ``user`` holds ``perm`` (on ``obj``) under the project's rules; no superuser bypass."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return rules.has_perm(perm, user, obj)


def require(user, perm: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, perm, obj)``."""
    if not can(user, perm, obj):
        raise PermissionDenied
