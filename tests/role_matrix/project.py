from tests.role_matrix import ALL_OK, ROLES

EXPECTED = {
    "dashboard": {"": ALL_OK},
    "login": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200}},
    "logout": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "health": {"": dict.fromkeys(ROLES, 200)},
    "two_factor_setup": {"": ALL_OK},
    "two_factor_manage": {"": ALL_OK},
    # without an authenticator app, making backup codes starts with setting one up
    "two_factor_backup_codes": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
    # nobody has an app with id 999999
    "two_factor_remove": {"": dict.fromkeys(ROLES[1:], 404) | {"anonymous": "login"}},
    "password_change": {"": ALL_OK},
    "password_change_done": {"": ALL_OK},
    # reset by e-mail is for people who cannot sign in; signed-in users may use it too
    "password_reset": {"": dict.fromkeys(ROLES, 200)},
    "password_reset_done": {"": dict.fromkeys(ROLES, 200)},
    "password_reset_confirm": {"": dict.fromkeys(ROLES, 200)},
    "password_reset_complete": {"": dict.fromkeys(ROLES, 200)},
    # everyone signed in chooses how they get e-mails (a user with no role is told there is nothing to send)
    "notification_settings": {"": ALL_OK},
    # without a confirmed device, verifying sends the user to set one up
    "two_factor_verify": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": "login"}},
}


def url_args(name, demo):
    return {
        "two_factor_remove": {"": [999999]},
        "password_reset_confirm": {"": ["MQ", "set-password"]},
    }.get(name)
