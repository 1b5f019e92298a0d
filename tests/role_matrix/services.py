import datetime as dt

from agreements.models import Schedule, ServiceNotice
from tests.role_matrix import ALL_OK, COUNCIL, PANEL, ROLES

SIGNED_IN = ROLES[1:]
NOT_FOR_OFFICERS = ALL_OK | {"environment.officer": 403, "repairs.officer": 403, PANEL: 403, COUNCIL: 403}
# Value for money, benchmarks and exit planning are the ALMO's own commercial work: not for its tenant panel
# (404: the schedule is not among those it may weigh) nor for the council's client officer (403).
NOT_PANEL_OR_COUNCIL = {PANEL: 404, COUNCIL: 403}
# the main agreement's legal schedule: KNH's coordinator and board; not the other ALMO, not other departments
MAIN_LEGAL_READ = (
    ALL_OK | {"east.coordinator": 404, "environment.officer": 404, "repairs.officer": 404} | NOT_PANEL_OR_COUNCIL
)
MAIN_LEGAL_ACT = MAIN_LEGAL_READ | {"board.member": 403}
# the environment officer can see the cars schedule but not its value for money or exit plan
MAIN_CARS_READ = (
    ALL_OK | {"east.coordinator": 404, "environment.officer": 403, "repairs.officer": 404} | NOT_PANEL_OR_COUNCIL
)
# the east agreement is a draft: no exit plan until it is agreed
EAST_LEGAL_EXIT = {
    "anonymous": "login",
    "admin": 403,
    "coordinator": 404,
    "east.coordinator": 403,
    "board.member": 404,
    "environment.officer": 404,
    "repairs.officer": 404,
    PANEL: 404,
    COUNCIL: 403,
}
POST_ONLY = dict.fromkeys(SIGNED_IN, 405) | {"anonymous": "login"}

EXPECTED = {
    "services:service_list": {"": ALL_OK},
    "services:service_detail": {"cars": ALL_OK},
    "services:costs": {"": ALL_OK | {PANEL: 403}},
    "services:value_for_money": {"": NOT_FOR_OFFICERS},
    "services:schedule_value": {"legal": MAIN_LEGAL_READ, "cars": MAIN_CARS_READ},
    "services:benchmark_add": {"legal": MAIN_LEGAL_ACT},
    "services:market_test_add": {"legal": MAIN_LEGAL_ACT},
    "services:exit_planner": {"legal": MAIN_LEGAL_READ, "cars": MAIN_CARS_READ, "east-legal": EAST_LEGAL_EXIT},
    "services:notice_serve": {"legal": POST_ONLY},
    "services:notice_withdraw": {"notice": POST_ONLY},
}


def url_args(name, demo):
    main, east = demo["main"], demo["east"]
    legal = Schedule.objects.get(agreement=main, service__slug="legal-advice-and-conveyancing")
    cars = Schedule.objects.get(agreement=main, service__slug="removal-of-abandoned-vehicles")
    if name == "services:service_detail":
        return {"cars": [cars.service_id]}
    if name in ("services:schedule_value", "services:exit_planner"):
        args = {"legal": [legal.pk], "cars": [cars.pk]}
        if name == "services:exit_planner":
            args["east-legal"] = [
                Schedule.objects.get(agreement=east, service__slug="legal-advice-and-conveyancing").pk
            ]
        return args
    if name in ("services:benchmark_add", "services:market_test_add", "services:notice_serve"):
        return {"legal": [legal.pk]}
    if name == "services:notice_withdraw":
        notice = ServiceNotice.objects.create(
            schedule=legal,
            served_on=dt.date(2026, 1, 5),
            effective_date=dt.date(2026, 7, 31),
            served_by=main.coordinator,
            reason="Role matrix",
        )
        return {"notice": [notice.pk]}
    return {}
