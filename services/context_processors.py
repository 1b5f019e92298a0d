from services.roles import profile_of, role_of


def navigation(request):
    """The signed-in user's role and organisation, for the header and navigation."""
    user = getattr(request, "user", None)
    profile = profile_of(user)
    return {
        "current_role": role_of(user),
        "current_profile": profile,
    }
