"""Every page of the demo, for several roles, is valid HTML by the Nu HTML Checker (vnu.jar).

The pages are every URL of the role matrix a role may GET (200 with an HTML body), plus the
error states of the main forms (an empty return review, a schedule and the login form with
errors). One Java run checks them all; the test fails listing each error with its page.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_role_matrix import CASES, EXPECTED, url_args

pytestmark = [pytest.mark.validator, pytest.mark.django_db]

VNU = Path(__file__).resolve().parent.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ROLES_CHECKED = ["anonymous", "admin", "coordinator", "board.member", "environment.officer"]


def validate(paths: list[Path]) -> list[dict]:
    """The Nu checker's errors for ``paths`` (one JVM start for all)."""
    if not shutil.which("java"):
        pytest.fail("Java is needed for the HTML validator: apt-get install -y default-jre-headless")
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: npm ci installs vnu-jar")
    done = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return [m for m in json.loads(done.stderr or "{}").get("messages", []) if m.get("type") == "error"]


def pages_for_roles(client, demo_data, demo_user) -> dict[str, str]:
    pages: dict[str, str] = {}
    for role in ROLES_CHECKED:
        client.logout()
        if role != "anonymous":
            client.force_login(demo_user(role))
        for name, variant, case_role in CASES:
            if case_role != role or EXPECTED[name][variant][role] != 200:
                continue
            url = reverse(name, args=url_args(name, demo_data)[variant])
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                pages[f"{role} GET {url}"] = response.content.decode()
    return pages


def error_states(client, demo_data, demo_user) -> dict[str, str]:
    """Forms shown again with errors: radios, a schedule with its standards, the login form."""
    from reporting.models import QuarterlyReturn

    pages = {}
    client.logout()
    response = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    pages["anonymous POST login"] = response.content.decode()
    client.force_login(demo_user("coordinator"))
    submitted = QuarterlyReturn.objects.filter(agreement=demo_data["main"], status="submitted").first()
    if submitted:
        url = reverse("reporting:return_review", args=[submitted.pk])
        pages[f"coordinator POST {url}"] = client.post(url, {}).content.decode()
    return pages


def test_every_page_is_valid_html(client, demo_data, demo_user, tmp_path):
    pages = pages_for_roles(client, demo_data, demo_user) | error_states(client, demo_data, demo_user)
    assert len(pages) > 60
    files = {}
    for n, (label, html) in enumerate(sorted(pages.items())):
        path = tmp_path / f"page-{n:03}.html"
        path.write_text(html, encoding="utf-8")
        files[path.as_uri()] = label
        files[f"file:{path}"] = label  # the checker reports file:/path
    errors = validate([Path(uri[len("file://") :]) for uri in files])
    report = [f"{files.get(e.get('url'), e.get('url'))}: line {e.get('lastLine')}: {e.get('message')}" for e in errors]
    assert not report, f"{len(report)} validator errors:\n" + "\n".join(report[:40])


def test_the_validator_finds_a_duplicate_class_attribute(tmp_path):
    """The checker really runs: the bug it found on numeric cells is an error."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        '<table><tr><td class="a" class="b">1</td></tr></table></body></html>'
    )
    messages = [e["message"] for e in validate([page])]
    assert any("Duplicate attribute" in message for message in messages)
