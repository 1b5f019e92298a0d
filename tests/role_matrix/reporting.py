EXPECTED = {}


def url_args(name, demo):
    if name in PACK_EXPECTED and name != "reporting:pack_list":
        return pack_url_args(name, demo)
    return {}


# --- Board packs (issue 5) -------------------------------------------------------------
# Board members, coordinators (their ALMO) and administrators only; department officers
# get 403; a coordinator of another ALMO does not see the pack (404).

from tests.role_matrix import ROLES  # noqa: E402

PACKS_ONLY = {"anonymous": "login"} | dict.fromkeys(["admin", "coordinator", "east.coordinator", "board.member"], 200) | {
    "environment.officer": 403,
    "repairs.officer": 403,
}
KNH_PACK = PACKS_ONLY | {"east.coordinator": 404}

PACK_EXPECTED = {
    "reporting:pack_list": {"": PACKS_ONLY},
    "reporting:pack_detail": {"ready": KNH_PACK, "failed": KNH_PACK},
    "reporting:pack_download": {"ready": KNH_PACK, "failed": KNH_PACK | dict.fromkeys(["admin", "coordinator", "board.member"], 404)},
    "reporting:pack_retry": {"failed": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
}
EXPECTED |= PACK_EXPECTED


def pack_url_args(name, demo):
    from tests.reporting.pack_factories import failed_pack, ready_pack

    return {"ready": [ready_pack(demo["main"]).pk], "failed": [failed_pack(demo["main"]).pk]}
