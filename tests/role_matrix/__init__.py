"""The role matrix, one module per app. Each module defines

- ``EXPECTED``: URL name -> variant -> role -> expected status (or ``"login"``),
- ``url_args(name, demo)``: URL name -> variant -> reverse() args.

Roles are the demo users in ``ROLES``; ``ALL_OK`` is "every signed-in role may see it".
"""

ROLES = [
    "anonymous",
    "admin",
    "coordinator",
    "east.coordinator",
    "board.member",
    "environment.officer",
    "repairs.officer",
    "panel.member",
    "council.officer",
]
ALL_OK = dict.fromkeys(ROLES[1:], 200) | {"anonymous": "login"}
STAFF_ONLY = {"anonymous": "login", "admin": 200, "coordinator": 200} | dict.fromkeys(
    ["east.coordinator", "board.member", "environment.officer", "repairs.officer", "panel.member", "council.officer"],
    403,
)
# Issue 14: the tenant scrutiny panel member (Kirkby Neighbourhood Homes) and the council's client officer.
PANEL, COUNCIL = "panel.member", "council.officer"
