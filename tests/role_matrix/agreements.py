from agreements.models import Schedule
from tests.role_matrix import ALL_OK

EXPECTED = {
    "agreements:agreement_list": {"": ALL_OK},
    "agreements:agreement_detail": {
        "main": ALL_OK | {"east.coordinator": 404},
        "east": ALL_OK | {"coordinator": 404, "board.member": 404, "repairs.officer": 404},
    },
    "agreements:schedule_detail": {
        "cars": ALL_OK | {"east.coordinator": 404, "repairs.officer": 404},
        "legal": ALL_OK | {"east.coordinator": 404, "environment.officer": 404, "repairs.officer": 404},
    },
}


def url_args(name, demo):
    main = demo["main"]
    if name == "agreements:agreement_detail":
        return {"main": [main.pk], "east": [demo["east"].pk]}
    if name == "agreements:schedule_detail":
        cars = Schedule.objects.get(agreement=main, service__slug="removal-of-abandoned-vehicles")
        legal = Schedule.objects.get(agreement=main, service__slug="legal-advice-and-conveyancing")
        return {"cars": [main.pk, cars.pk], "legal": [main.pk, legal.pk]}
    return {}
