"""Every URL pattern of the project × every role, with the expected response.

A new URL pattern without an entry in ``EXPECTED`` fails ``test_every_url_pattern_is_in_the_matrix``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import Schedule

ROLES = ["anonymous", "admin", "coordinator", "east.coordinator", "board.member", "environment.officer", "repairs.officer"]


def _names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns == "admin":
                continue
            yield from _names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def url_args(name, demo):
    main = demo["main"]
    cars = Schedule.objects.get(agreement=main, service__slug="removal-of-abandoned-vehicles")
    legal = Schedule.objects.get(agreement=main, service__slug="legal-advice-and-conveyancing")
    return {
        "agreements:agreement_detail": {"main": [main.pk], "east": [demo["east"].pk]},
        "agreements:schedule_detail": {"cars": [main.pk, cars.pk], "legal": [main.pk, legal.pk]},
        "services:service_detail": {"cars": [cars.service_id]},
    }.get(name, {"": []})


ALL_OK = dict.fromkeys(ROLES[1:], 200) | {"anonymous": "login"}

# name -> variant -> role -> expected status ("login" = redirected to sign in)
EXPECTED = {
    "dashboard": {"": ALL_OK},
    "login": {"": dict.fromkeys(ROLES[1:], 302) | {"anonymous": 200}},
    "logout": {"": dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}},
    "health": {"": dict.fromkeys(ROLES, 200)},
    "agreements:agreement_list": {"": ALL_OK},
    "agreements:agreement_detail": {
        "main": ALL_OK | {"east.coordinator": 404, "repairs.officer": 200},
        "east": ALL_OK | {"coordinator": 404, "board.member": 404, "environment.officer": 200, "repairs.officer": 404},
    },
    "agreements:schedule_detail": {
        "cars": ALL_OK | {"east.coordinator": 404, "repairs.officer": 404},
        "legal": ALL_OK | {"east.coordinator": 404, "environment.officer": 404, "repairs.officer": 404},
    },
    "services:service_list": {"": ALL_OK},
    "services:service_detail": {"cars": ALL_OK},
}


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(set(_names()) - set(EXPECTED))
    assert not missing, f"Add these URL names to the role matrix: {missing}"


CASES = [(name, variant, role) for name, variants in EXPECTED.items() for variant in variants for role in ROLES]


@pytest.mark.parametrize("name, variant, role", CASES, ids=[f"{n}[{v}]-{r}" for n, v, r in CASES])
def test_role_matrix(client, demo_data, demo_user, name, variant, role):
    if role != "anonymous":
        client.force_login(demo_user(role))
    url = reverse(name, args=url_args(name, demo_data)[variant])
    response = client.get(url)
    expected = EXPECTED[name][variant][role]
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login")), response
    else:
        assert response.status_code == expected, f"{role} GET {url}: {response.status_code}, expected {expected}"


ADMIN_URLS = ["admin:index", "admin:agreements_agreement_changelist", "admin:agreements_schedule_changelist",
              "admin:agreements_standard_changelist", "admin:agreements_standardtarget_changelist",
              "admin:services_service_changelist", "admin:services_department_changelist",
              "admin:services_almo_changelist", "admin:services_council_changelist", "admin:services_profile_changelist"]


@pytest.mark.parametrize("name", ADMIN_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_administrators_only(client, demo_data, demo_user, name, role):
    if role != "anonymous":
        client.force_login(demo_user(role))
    response = client.get(reverse(name))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and "/login/" in response.url


def test_every_model_is_registered_in_the_admin():
    from django.apps import apps
    from django.contrib import admin

    ours = [m for app in ("services", "agreements", "reporting") for m in apps.get_app_config(app).get_models()]
    unregistered = [m.__name__ for m in ours if m not in admin.site._registry and not m.__name__.startswith("Historical")]
    assert not unregistered
