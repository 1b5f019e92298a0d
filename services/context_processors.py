from almo_sla.access import can
from services.roles import profile_of, role_of

# The navigation's optional sections and the rule that shows each (asked without a database query).
NAV_RULES = {
    "costs": "agreements.view_costs",
    "value_for_money": "reporting.view_value_for_money",
    "improvement_plans": "reporting.list_improvementplan",
    "challenges": "reporting.list_challenges",
    "complaints": "reporting.list_complaints",
    "council": "reporting.view_council_overview",
}


def navigation(request):
    """The signed-in user's role and organisation, for the header and navigation."""
    user = getattr(request, "user", None)
    profile = profile_of(user)
    return {
        "current_role": role_of(user),
        "current_profile": profile,
        "nav": {key: can(user, perm) for key, perm in NAV_RULES.items()} if profile or role_of(user) else {},
    }
