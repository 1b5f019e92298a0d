"""The read-only API at /api/v1/: signed-in roles read (narrowed by the selectors); no session → 401."""

from agreements.models import Schedule
from tests.role_matrix import ALL_OK, ROLES

API_OK = dict.fromkeys(ROLES[1:], 200) | {"anonymous": 401}
NOT_FOUND = dict.fromkeys(ROLES[1:], 404) | {"anonymous": 401}
# The cars schedule of the KNH agreement: not the other ALMO's coordinator, not the repairs officer.
CARS = API_OK | {"east.coordinator": 404, "repairs.officer": 404}

EXPECTED = {
    "api:api-root": {"": API_OK},
    "api:schema": {"": API_OK},
    "api:docs": {"": ALL_OK},
    "api:token": {"": ALL_OK},
    "api:agreement-list": {"": API_OK},
    "api:agreement-detail": {"main": API_OK | {"east.coordinator": 404}, "missing": NOT_FOUND},
    "api:schedule-list": {"": API_OK},
    "api:schedule-detail": {"cars": CARS, "missing": NOT_FOUND},
    "api:standard-list": {"": API_OK},
    "api:standard-detail": {"cars": CARS, "missing": NOT_FOUND},
    "api:result-list": {"": API_OK},
    "api:result-detail": {"missing": NOT_FOUND},
    "api:departure-list": {"": API_OK},
    "api:departure-detail": {"missing": NOT_FOUND},
    "api:cost-list": {"": API_OK},
    "api:notice-list": {"": API_OK},
    "api:notice-detail": {"missing": NOT_FOUND},
}


def url_args(name, demo):
    if not name.endswith("-detail"):
        return {}
    args = {"missing": [999999]}
    if name == "api:agreement-detail":
        args["main"] = [demo["main"].pk]
    cars = Schedule.objects.get(agreement=demo["main"], service__slug="removal-of-abandoned-vehicles")
    if name == "api:schedule-detail":
        args["cars"] = [cars.pk]
    if name == "api:standard-detail":
        args["cars"] = [cars.standards.first().pk]
    return args


# The tenant scrutiny panel member and the council client officer (issue 14) take no part here:
# refused like any other role without a part (an object they cannot see is not found), unless an
# entry above says otherwise.
for _variants in EXPECTED.values():
    for _variant, _expected in _variants.items():
        _expected.setdefault("panel.member", 404 if _variant else 403)
        _expected.setdefault("council.officer", 404 if _variant else 403)
