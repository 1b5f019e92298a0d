from agreements.models import Schedule
from tests.role_matrix import ALL_OK

EXPECTED = {
    "services:service_list": {"": ALL_OK},
    "services:service_detail": {"cars": ALL_OK},
}


def url_args(name, demo):
    if name == "services:service_detail":
        cars = Schedule.objects.get(agreement=demo["main"], service__slug="removal-of-abandoned-vehicles")
        return {"cars": [cars.service_id]}
    return {}
