from tests.role_matrix import ALL_OK, ROLES

EXPECTED = {
    "dashboard": {"": ALL_OK},
    "login": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200}},
    "logout": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "health": {"": dict.fromkeys(ROLES, 200)},
    "session_extend": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
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
    # single sign-on is off unless OIDC_ISSUER and OIDC_CLIENT_ID are set (tests/sso switch it on)
    "sso_start": {"": dict.fromkeys(ROLES, 404)},
    "sso_callback": {"": dict.fromkeys(ROLES, 404)},
    # users with a role are sent on to the dashboard
    # help, glossary and the statements are open to everyone, signed in or not
    "help": {"": dict.fromkeys(ROLES, 200)},
    "help_role": {
        slug: dict.fromkeys(ROLES, 200)
        for slug in ("coordinator", "department-officer", "board-member", "administrator")
    },
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
    return {
        "two_factor_remove": {"": [999999]},
        "password_reset_confirm": {"": ["MQ", "set-password"]},
    }.get(name)
