"""Help for each role, the glossary, and the statements every public-sector service publishes.

Open to everyone, signed in or not (the accessibility statement must be reachable without an account).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render

from services.glossary import glossary_entries
from services.roles import Role, role_of

HELP_ROLES = {
    Role.COORDINATOR: "help/coordinator.html",
    Role.DEPARTMENT_OFFICER: "help/department_officer.html",
    Role.BOARD_MEMBER: "help/board_member.html",
    Role.ADMINISTRATOR: "help/administrator.html",
}
ROLE_SLUGS = {role.value.replace("_", "-"): role for role in HELP_ROLES}


def _roles():
    return [{"slug": slug, "label": role.label} for slug, role in ROLE_SLUGS.items()]


@login_not_required
def help_index(request):
    """Help for the signed-in user's role first, and the other roles' help."""
    role = role_of(request.user)
    return render(
        request,
        "help/index.html",
        {
            "roles": _roles(),
            "own": role.replace("_", "-") if role else None,
            "own_template": HELP_ROLES.get(role),
        },
    )


@login_not_required
def help_role(request, role):
    if role not in ROLE_SLUGS:
        raise Http404("No help for that role.")
    return render(
        request,
        "help/role.html",
        {
            "role_label": ROLE_SLUGS[role].label,
            "role_template": HELP_ROLES[ROLE_SLUGS[role]],
            "roles": _roles(),
            "slug": role,
        },
    )


@login_not_required
def glossary(request):
    return render(request, "help/glossary.html", {"entries": glossary_entries()})


@login_not_required
def accessibility(request):
    return render(request, "statements/accessibility.html")


@login_not_required
def privacy(request):
    return render(request, "statements/privacy.html")


@login_not_required
def cookies(request):
    return render(request, "statements/cookies.html")
