"""Quarterly returns: officers see only their department's returns; coordinators and board members their ALMO's.

Variants: ``env`` is Environmental Services' return for the quarter in progress (a draft
the environment officer fills), ``repairs`` Property Services' (another department's),
``submitted`` a return waiting for the coordinator's review.
"""

from django.core.files.base import ContentFile

from reporting.models import Departure, Evidence, QuarterlyReturn
from tests.role_matrix import ALL_OK, COUNCIL, PANEL, ROLES

SIGNED_IN = ROLES[1:]
NOT_ALLOWED = dict.fromkeys(SIGNED_IN, 405) | {"anonymous": "login"}

# The panel reads accepted returns only (these are drafts: 404); the council officer reads every return, fills none.
VIEW_ENV = ALL_OK | {"east.coordinator": 404, "repairs.officer": 404, PANEL: 404}
VIEW_REPAIRS = ALL_OK | {"east.coordinator": 404, "environment.officer": 404, PANEL: 404}
FILL_ENV = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 403,
    "east.coordinator": 404,
    "board.member": 403,
    "environment.officer": 200,
    "repairs.officer": 404,
    PANEL: 404,
    COUNCIL: 403,
}
FILL_REPAIRS = FILL_ENV | {"environment.officer": 404, "repairs.officer": 200}
REVIEW_SUBMITTED = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 404,
    "board.member": 403,
    "environment.officer": 404,
    "repairs.officer": 404,
    PANEL: 404,
    COUNCIL: 403,
}
REVIEW_DRAFT = FILL_ENV | {"admin": 403, "environment.officer": 403}
RESOLVE_ENV = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 404,
    "board.member": 403,
    "environment.officer": 200,
    "repairs.officer": 404,
    PANEL: 404,
    COUNCIL: 403,
}
OPEN = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 200,
    "board.member": 403,
    "environment.officer": 403,
    "repairs.officer": 403,
    PANEL: 403,
    COUNCIL: 403,
}

EXPECTED = {
    "reporting:return_list": {"": ALL_OK},
    "reporting:departure_list": {"": ALL_OK},
    "reporting:returns_open": {"": OPEN},
    "reporting:return_detail": {"env": VIEW_ENV, "repairs": VIEW_REPAIRS},
    "reporting:return_edit": {"env": FILL_ENV, "repairs": FILL_REPAIRS},
    "reporting:return_submit": {"env": NOT_ALLOWED, "repairs": NOT_ALLOWED},
    # "send a reminder now" is a POST-only action (its rule is tested in tests/reporting/test_reminders_now.py)
    "reporting:return_remind": {"env": NOT_ALLOWED},
    "reporting:return_review": {"submitted": REVIEW_SUBMITTED, "env": REVIEW_DRAFT},
    "reporting:return_template": {"env-csv": FILL_ENV, "env-xlsx": FILL_ENV, "repairs-csv": FILL_REPAIRS},
    "reporting:return_import": {"env": FILL_ENV, "repairs": FILL_REPAIRS},
    "reporting:departure_add": {"env": FILL_ENV, "repairs": FILL_REPAIRS},
    "reporting:departure_edit": {"env": FILL_ENV},
    "reporting:departure_resolve": {"env": RESOLVE_ENV},
    "reporting:evidence_add": {"env": FILL_ENV, "repairs": FILL_REPAIRS},
    "reporting:evidence_download": {"env": VIEW_ENV},
    "reporting:evidence_delete": {"env": NOT_ALLOWED},
}


def current_return(demo, department_name) -> QuarterlyReturn:
    """The department's return for the quarter in progress (a draft, not yet due)."""
    return (
        QuarterlyReturn.objects.filter(agreement=demo["main"], department__name=department_name, status="draft")
        .order_by("-financial_year", "-quarter")
        .first()
    )


def fixtures(demo) -> dict:
    """Objects the URLs need, created inside the test's transaction."""
    from reporting import services

    env, repairs = current_return(demo, "Environmental Services"), current_return(demo, "Property Services")
    services.return_results_ensure(quarterly_return=env)
    services.return_results_ensure(quarterly_return=repairs)
    env_result, repairs_result = env.results.first(), repairs.results.first()
    departure = Departure.objects.create(
        result=env_result,
        what_happened="Late removals",
        cases=3,
        reason="Vehicle breakdown",
        remedial_action="Hire a second truck",
        owner="Fleet manager",
        target_date=env.period.end,
    )
    evidence = Evidence(
        quarterly_return=env,
        stored_name="matrix.pdf",
        original_name="matrix.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_by=demo["main"].coordinator,
    )
    evidence.file.save("matrix.pdf", ContentFile(b"%PDF-1.4"), save=False)
    evidence.save()
    submitted = QuarterlyReturn.objects.filter(agreement=demo["main"], status="submitted").first()
    return {
        "env": env,
        "repairs": repairs,
        "env_result": env_result,
        "repairs_result": repairs_result,
        "departure": departure,
        "evidence": evidence,
        "submitted": submitted,
    }


def url_args(name, demo):
    if name in PACK_EXPECTED and name != "reporting:pack_list":
        return pack_url_args(name, demo)
    if name in ("reporting:return_list", "reporting:departure_list", "reporting:returns_open", "reporting:pack_list"):
        return {}
    f = fixtures(demo)
    env, repairs = f["env"].pk, f["repairs"].pk
    if name == "reporting:return_template":
        return {"env-csv": [env, "csv"], "env-xlsx": [env, "xlsx"], "repairs-csv": [repairs, "csv"]}
    if name == "reporting:return_review":
        return {"submitted": [f["submitted"].pk], "env": [env]}
    if name == "reporting:departure_add":
        return {"env": [env, f["env_result"].pk], "repairs": [repairs, f["repairs_result"].pk]}
    if name in ("reporting:departure_edit", "reporting:departure_resolve"):
        return {"env": [env, f["departure"].pk]}
    if name in ("reporting:evidence_download", "reporting:evidence_delete"):
        return {"env": [env, f["evidence"].pk]}
    return {"env": [env], "repairs": [repairs]}


# --- Board packs (issue 5) -------------------------------------------------------------
# Board members, coordinators (their ALMO) and administrators only; department officers
# get 403; a coordinator of another ALMO does not see the pack (404).

from tests.role_matrix import ROLES  # noqa: E402

# Board packs are the boards' papers: not for the tenant panel or the council's client officer.
PACKS_ONLY = (
    {"anonymous": "login"}
    | dict.fromkeys(["admin", "coordinator", "east.coordinator", "board.member"], 200)
    | {
        "environment.officer": 403,
        "repairs.officer": 403,
        PANEL: 403,
        COUNCIL: 403,
    }
)
KNH_PACK = PACKS_ONLY | {"east.coordinator": 404}

PACK_EXPECTED = {
    "reporting:pack_list": {"": PACKS_ONLY},
    "reporting:pack_detail": {"ready": KNH_PACK, "failed": KNH_PACK},
    "reporting:pack_download": {
        "ready": KNH_PACK,
        "failed": KNH_PACK | dict.fromkeys(["admin", "coordinator", "board.member"], 404),
    },
    "reporting:pack_retry": {"failed": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
}
EXPECTED |= PACK_EXPECTED


def pack_url_args(name, demo):
    from tests.reporting.pack_factories import failed_pack, ready_pack

    return {"ready": [ready_pack(demo["main"]).pk], "failed": [failed_pack(demo["main"]).pk]}
