"""Signed-in users without a role (new single sign-on users) wait for an administrator."""

from django.shortcuts import redirect, render

from services.roles import role_of

# Pages a signed-in user without a role may still open.
OPEN_WITHOUT_ROLE = {
    "no_access",
    "logout",
    "login",
    "health",
    "two_factor_setup",
    "two_factor_verify",
    "sso_start",
    "sso_callback",
    "help",
    "help_role",
    "glossary",
    "accessibility",
    "privacy",
    "cookies",
}


class RoleRequiredMiddleware:
    """Sends a signed-in user with no role to the "ask an administrator for access" page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or role_of(user) is not None:
            return None
        match = request.resolver_match
        if match is None or match.url_name in OPEN_WITHOUT_ROLE or match.namespace == "admin":
            return None
        return redirect("no_access")


def no_access(request):
    """What a user without a role sees: who to ask. Users with a role go to the dashboard."""
    if role_of(request.user) is not None:
        return redirect("dashboard")
    return render(request, "registration/no_access.html", status=200)
