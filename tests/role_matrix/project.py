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
    "no_access": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
    # without a confirmed device, verifying sends the user to set one up
    "two_factor_verify": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
}


def url_args(name, demo):
    return {}
