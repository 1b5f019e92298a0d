from rest_framework.permissions import BasePermission

from services.roles import role_of


class HasRole(BasePermission):
    """Signed in (token or session) and given a role; what each role sees is narrowed by the selectors."""

    message = "Your account has no role yet: ask an administrator for access."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and role_of(request.user) is not None)
