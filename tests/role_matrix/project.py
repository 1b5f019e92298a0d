from tests.role_matrix import ALL_OK, ROLES

EXPECTED = {
    "dashboard": {"": ALL_OK},
    "login": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200}},
    "logout": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "health": {"": dict.fromkeys(ROLES, 200)},
    "two_factor_setup": {"": ALL_OK},
    # single sign-on is off unless OIDC_ISSUER and OIDC_CLIENT_ID are set (tests/sso switch it on)
    "sso_start": {"": dict.fromkeys(ROLES, 404)},
    "sso_callback": {"": dict.fromkeys(ROLES, 404)},
    # users with a role are sent on to the dashboard
    # help, glossary and the statements are open to everyone, signed in or not
    "help": {"": dict.fromkeys(ROLES, 200)},
    "help_role": {slug: dict.fromkeys(ROLES, 200) for slug in ("coordinator", "department-officer", "board-member",
                                                                 "administrator")},
    "glossary": {"": dict.fromkeys(ROLES, 200)},
    "accessibility": {"": dict.fromkeys(ROLES, 200)},
    "privacy": {"": dict.fromkeys(ROLES, 200)},
    "cookies": {"": dict.fromkeys(ROLES, 200)},
    "search": {"": ALL_OK},
    "no_access": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
    # without a confirmed device, verifying sends the user to set one up
    "two_factor_verify": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
}


def url_args(name, demo):
    if name == "help_role":
        return {slug: [slug] for slug in EXPECTED["help_role"]}
    return {}
