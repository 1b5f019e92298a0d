from agreements.models import Schedule
from tests.role_matrix import ALL_OK, COUNCIL, PANEL, ROLES

NONE_OK = dict.fromkeys(ROLES[1:], 403) | {"anonymous": "login", "admin": 200}
POST_ONLY = dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}
# The KNH agreement is active: only variations change it.
MAIN_ACTIVE_READONLY = NONE_OK | {"east.coordinator": 404, "admin": 403}
# The KEH agreement is a draft of the other ALMO; officers whose department is not in it get 404.
EAST_HIDDEN = {"coordinator": 404, "board.member": 404, "repairs.officer": 404, PANEL: 404}
# The council's client officer reads every agreement of the council, and changes none.

EXPECTED = {
    "agreements:agreement_list": {"": ALL_OK},
    "agreements:schedule_list": {"": ALL_OK},
    "agreements:agreement_create": {
        "": dict.fromkeys(ROLES[1:], 403)
        | {"anonymous": "login", "admin": 200, "coordinator": 200, "east.coordinator": 200}
    },
    "agreements:agreement_detail": {
        "main": ALL_OK | {"east.coordinator": 404},
        "east": ALL_OK | EAST_HIDDEN,
    },
    "agreements:agreement_edit": {
        # Those who could vary the active agreement are told only drafts are edited, with a link to a variation.
        "main": MAIN_ACTIVE_READONLY | {"coordinator": 200, "admin": 200},
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200},
    },
    "agreements:agreement_circulate": {
        "main": MAIN_ACTIVE_READONLY,
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200},
    },
    # Confirmation pages (GET) before the step (POST); only from the right state.
    "agreements:agreement_next_draft": {"main": MAIN_ACTIVE_READONLY, "east": NONE_OK | EAST_HIDDEN | {"admin": 403}},
    "agreements:agreement_send_for_signoff": {
        "main": MAIN_ACTIVE_READONLY,
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200},
    },
    "agreements:agreement_approve": {"main": POST_ONLY},
    # Declining: only a named signatory with authority, only while a final version awaits sign-off.
    "agreements:agreement_decline": {"main": MAIN_ACTIVE_READONLY, "east": NONE_OK | EAST_HIDDEN | {"admin": 403}},
    # Withdrawing: the coordinator, only a variation not yet decided (the demo's variation 1 was rejected).
    "agreements:variation_withdraw": {"main": MAIN_ACTIVE_READONLY},
    # No demo agreement has an agreed (sealed) version: 404 for those who may see the whole agreement,
    # 403 for department officers (the sealed agreement holds every department's schedules).
    "agreements:agreement_sealed_pdf": {
        "main": dict.fromkeys(ROLES[1:], 404)
        | {"anonymous": "login", "environment.officer": 403, "repairs.officer": 403},
        "east": dict.fromkeys(ROLES[1:], 404) | {"anonymous": "login", "environment.officer": 403},
    },
    "agreements:agreement_history": {
        "main": ALL_OK
        | {"east.coordinator": 404, "environment.officer": 403, "repairs.officer": 403, PANEL: 403, COUNCIL: 403},
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200},
    },
    "agreements:version_compare": {"east": ALL_OK | EAST_HIDDEN},  # one version only: 404 for those who may see it
    # versions carry every cost: not for the panel, even of its own ALMO's settled agreement ("main")
    "agreements:version_detail": {"east": ALL_OK | EAST_HIDDEN},
    "agreements:version_pdf": {"east": ALL_OK | EAST_HIDDEN},
    "agreements:comment_respond": {"east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200}},
    "agreements:variation_create": {
        "main": NONE_OK | {"coordinator": 200, "east.coordinator": 404},
        "east": NONE_OK | EAST_HIDDEN | {"admin": 403},
    },
    "agreements:variation_detail": {
        "main": ALL_OK | {"east.coordinator": 404, "environment.officer": 403, "repairs.officer": 403, PANEL: 403},
    },
    "agreements:variation_add_change": {"main": POST_ONLY},
    "agreements:schedule_detail": {
        "cars": ALL_OK | {"east.coordinator": 404, "repairs.officer": 404},
        "legal": ALL_OK | {"east.coordinator": 404, "environment.officer": 404, "repairs.officer": 404},
    },
    "agreements:schedule_create": {
        "main": MAIN_ACTIVE_READONLY,
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200},
    },
    "agreements:schedule_edit": {
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200, "environment.officer": 403},
    },
    "agreements:schedule_delete": {
        "east": NONE_OK | EAST_HIDDEN | {"east.coordinator": 200},
    },
}
EXPECTED["agreements:version_compare"]["east"] = {
    k: (404 if v == 200 else v) for k, v in EXPECTED["agreements:version_compare"]["east"].items()
}


def url_args(name, demo):
    main, east = demo["main"], demo["east"]
    if name == "agreements:schedule_detail":
        cars = Schedule.objects.get(agreement=main, service__slug="removal-of-abandoned-vehicles")
        legal = Schedule.objects.get(agreement=main, service__slug="legal-advice-and-conveyancing")
        return {"cars": [main.pk, cars.pk], "legal": [main.pk, legal.pk]}
    if name in ("agreements:schedule_edit", "agreements:schedule_delete"):
        cars = Schedule.objects.get(agreement=east, service__slug="removal-of-abandoned-vehicles")
        return {"east": [east.pk, cars.pk]}
    if name in ("agreements:variation_detail", "agreements:variation_add_change", "agreements:variation_withdraw"):
        return {"main": [main.pk, 1]}
    if name in ("agreements:version_detail", "agreements:version_pdf"):
        return {"east": [east.pk, 1]}
    if name == "agreements:comment_respond":
        return {"east": [east.pk, east.versions.get(number=1).comments.first().pk]}
    if name in ("agreements:agreement_list", "agreements:schedule_list", "agreements:agreement_create"):
        return {}
    return {"main": [main.pk], "east": [east.pk]}
