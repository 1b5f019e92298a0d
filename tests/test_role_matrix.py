"""Every URL pattern of the project × every role, with the expected response.

The expectations live in ``tests/role_matrix/<app>.py``. A new URL pattern without an
entry there fails ``test_every_url_pattern_is_in_the_matrix``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.role_matrix import ROLES
from tests.role_matrix import agreements as agreements_matrix
from tests.role_matrix import api as api_matrix
from tests.role_matrix import improvement as improvement_matrix
from tests.role_matrix import project as project_matrix
from tests.role_matrix import reporting as reporting_matrix
from tests.role_matrix import services as services_matrix
from tests.role_matrix import tenants as tenants_matrix

MODULES = [
    project_matrix,
    agreements_matrix,
    services_matrix,
    reporting_matrix,
    improvement_matrix,
    api_matrix,
    tenants_matrix,
]
EXPECTED = {name: variants for module in MODULES for name, variants in module.EXPECTED.items()}
OWNER = {name: module for module in MODULES for name in module.EXPECTED}


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
    return OWNER[name].url_args(name, demo) or {"": []}


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


ADMIN_URLS = [
    "admin:index",
    "admin:agreements_agreement_changelist",
    "admin:agreements_schedule_changelist",
    "admin:agreements_standard_changelist",
    "admin:agreements_standardtarget_changelist",
    "admin:services_service_changelist",
    "admin:services_department_changelist",
    "admin:services_almo_changelist",
    "admin:services_council_changelist",
    "admin:services_profile_changelist",
    "admin:services_signingauthority_changelist",
    "admin:services_signingauthority_add",
    "admin:agreements_draftingstep_changelist",
    "admin:outbox_outboundemail_changelist",
    "admin:api_apitoken_changelist",
]


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

    ours = [
        m
        for app in ("services", "agreements", "reporting", "outbox", "api")
        for m in apps.get_app_config(app).get_models()
    ]
    unregistered = [
        m.__name__ for m in ours if m not in admin.site._registry and not m.__name__.startswith("Historical")
    ]
    assert not unregistered
