from tests.role_matrix import ALL_OK, ROLES

EXPECTED = {
    "dashboard": {"": ALL_OK},
    "login": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200}},
    "logout": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "health": {"": dict.fromkeys(ROLES, 200)},
    "session_extend": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "two_factor_setup": {"": ALL_OK},
    # without a confirmed device, verifying sends the user to set one up
    "two_factor_verify": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
}


def url_args(name, demo):
    return {}
