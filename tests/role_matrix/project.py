from tests.role_matrix import ALL_OK, ROLES

EXPECTED = {
    "dashboard": {"": ALL_OK},
    "login": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200}},
    "logout": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "health": {"": dict.fromkeys(ROLES, 200)},
}


def url_args(name, demo):
    return {}
