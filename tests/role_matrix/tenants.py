"""Issue 14: tenant scrutiny, published performance (public: no sign-in), complaints, TSM and the council's view.

Variants use the demo data from ``reporting.demo_tenants``: Kirkby Neighbourhood Homes' panel challenges
(one awaiting a response, one declined), its complaints (one about abandoned cars not yet acknowledged,
one answered at stage 1) and its published quarters (2025/26 Q1 published; 2026/27 Q1 ready but not).
"""

from reporting.complaints.models import Complaint
from reporting.scrutiny.models import Challenge
from tests.role_matrix import ALL_OK, COUNCIL, PANEL, ROLES

SIGNED_IN = ROLES[1:]
EVERYONE = dict.fromkeys(ROLES, 200)
NOBODY_SIGNED_IN = dict.fromkeys(SIGNED_IN, 403) | {"anonymous": "login"}
KNH_ONLY = {"east.coordinator": 404, "environment.officer": 404, "repairs.officer": 404}

CHALLENGE_SEEN = ALL_OK | KNH_ONLY
RESPOND_AWAITING = NOBODY_SIGNED_IN | KNH_ONLY | {"admin": 200, "coordinator": 200}
RESPOND_DECLINED = NOBODY_SIGNED_IN | KNH_ONLY
# the panel's voice: not even an administrator escalates on its behalf
ESCALATE_DECLINED = NOBODY_SIGNED_IN | KNH_ONLY | {PANEL: 200}

# complaints name tenants: never the panel; the department whose service it is about, the ALMO, the council
CARS_COMPLAINT_SEEN = ALL_OK | {"east.coordinator": 404, "repairs.officer": 404, PANEL: 404}
ACKNOWLEDGE = (
    NOBODY_SIGNED_IN
    | {"east.coordinator": 404, "repairs.officer": 404, PANEL: 404}
    | {"admin": 200, "coordinator": 200, "environment.officer": 200}
)
RESPOND_UNACKNOWLEDGED = NOBODY_SIGNED_IN | {"east.coordinator": 404, "repairs.officer": 404, PANEL: 404}
STAGE_TWO = RESPOND_UNACKNOWLEDGED | {"admin": 200, "coordinator": 200}
UNKNOWN_STEP = dict.fromkeys(SIGNED_IN, 404) | {"anonymous": "login"}

COUNCIL_VIEW = NOBODY_SIGNED_IN | {"admin": 200, COUNCIL: 200}

EXPECTED = {
    "reporting:challenge_list": {"": ALL_OK | {"environment.officer": 403, "repairs.officer": 403}},
    "reporting:challenge_add": {"": NOBODY_SIGNED_IN | {PANEL: 200}},
    "reporting:challenge_detail": {"awaiting": CHALLENGE_SEEN, "declined": CHALLENGE_SEEN},
    "reporting:challenge_respond": {"awaiting": RESPOND_AWAITING, "declined": RESPOND_DECLINED},
    "reporting:challenge_escalate": {"declined": ESCALATE_DECLINED, "awaiting": RESPOND_DECLINED},
    "reporting:public_index": {"": EVERYONE},
    "reporting:public_accessibility": {"": EVERYONE},
    "reporting:public_performance": {"knh": EVERYONE, "unknown": dict.fromkeys(ROLES, 404)},
    "reporting:public_performance_quarter": {
        "published": EVERYONE,
        "ready-not-published": dict.fromkeys(ROLES, 404),
        "returns-outstanding": dict.fromkeys(ROLES, 404),
    },
    "reporting:public_open_data": {"csv": EVERYONE, "ods": EVERYONE},
    "reporting:public_publish": {
        "knh": NOBODY_SIGNED_IN | {"admin": 200, "coordinator": 200},
        "south": NOBODY_SIGNED_IN | {"admin": 200},
    },
    "reporting:complaint_list": {"": ALL_OK | {PANEL: 403}},
    "reporting:complaint_add": {"": NOBODY_SIGNED_IN | {"admin": 200, "coordinator": 200, "east.coordinator": 200}},
    "reporting:complaint_detail": {"cars": CARS_COMPLAINT_SEEN},
    "reporting:complaint_step": {
        "acknowledge": ACKNOWLEDGE,
        "respond-unacknowledged": RESPOND_UNACKNOWLEDGED,
        "stage-2": STAGE_TWO,
        "unknown-step": UNKNOWN_STEP,
    },
    "reporting:tsm_summary": {"": ALL_OK | {"environment.officer": 403, "repairs.officer": 403}},
    "reporting:council_compare": {"": COUNCIL_VIEW},
    "reporting:council_administration": {"": COUNCIL_VIEW},
}


def url_args(name, demo):
    almo = demo["main"].almo
    if name == "reporting:challenge_detail" or name in ("reporting:challenge_respond", "reporting:challenge_escalate"):
        awaiting = Challenge.objects.get(almo=almo, status=Challenge.Status.AWAITING, escalated_on__isnull=True)
        declined = Challenge.objects.get(almo=almo, status=Challenge.Status.DECLINED)
        return {"awaiting": [awaiting.pk], "declined": [declined.pk]}
    if name == "reporting:public_performance":
        return {"knh": [almo.slug], "unknown": ["no-such-almo"]}
    if name == "reporting:public_performance_quarter":
        return {
            "published": [almo.slug, "2025-26-Q1"],
            "ready-not-published": [almo.slug, "2026-27-Q1"],
            "returns-outstanding": [almo.slug, "2026-27-Q2"],
        }
    if name == "reporting:public_open_data":
        return {"csv": [almo.slug, "csv"], "ods": [almo.slug, "ods"]}
    if name == "reporting:public_publish":
        return {"knh": [almo.slug], "south": ["kirkby-south-homes"]}
    if name in ("reporting:complaint_detail", "reporting:complaint_step"):
        unacknowledged = Complaint.objects.get(almo=almo, summary__contains="Beech Road")
        answered = Complaint.objects.get(almo=almo, summary__contains="burnt-out car")
        if name == "reporting:complaint_detail":
            return {"cars": [unacknowledged.pk]}
        return {
            "acknowledge": [unacknowledged.pk, "acknowledge"],
            "respond-unacknowledged": [unacknowledged.pk, "respond"],
            "stage-2": [answered.pk, "stage-2"],
            "unknown-step": [unacknowledged.pk, "reopen"],
        }
    return {}
