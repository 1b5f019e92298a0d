"""A department officer can neither see nor change another department's return, through any URL, GET or POST."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.models import Departure, Evidence, QuarterlyReturn, StandardResult
from tests.role_matrix import reporting as matrix

PER_RETURN = [
    name
    for name in matrix.EXPECTED
    if name not in ("reporting:return_list", "reporting:departure_list", "reporting:returns_open")
    and name not in matrix.PACK_EXPECTED  # board packs have their own permission tests
]


def test_every_per_return_url_is_covered():
    """Every reporting URL is in the role matrix; the returns module's are the ones checked here
    (improvement plans, cases and the rest have their own modules and object tests)."""
    from tests.test_role_matrix import OWNER, _names

    ours = {n for n in _names() if n.startswith("reporting:")}
    assert ours <= set(OWNER)
    assert set(matrix.EXPECTED) <= ours


def other_department_args(name, f):
    """URL args pointing at Property Services' return (and its objects) for the environment officer."""
    repairs = f["repairs"]
    result = f["repairs_result"]
    departure = Departure.objects.create(
        result=result,
        what_happened="x",
        cases=1,
        reason="x",
        remedial_action="x",
        owner="x",
        target_date=dt.date(2027, 1, 1),
    )
    evidence = Evidence.objects.create(
        quarterly_return=repairs,
        stored_name="r.pdf",
        original_name="r.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=repairs.agreement.coordinator,
        file="evidence/none.pdf",
    )
    return {
        "reporting:return_template": [repairs.pk, "csv"],
        "reporting:departure_add": [repairs.pk, result.pk],
        "reporting:departure_edit": [repairs.pk, departure.pk],
        "reporting:departure_resolve": [repairs.pk, departure.pk],
        "reporting:evidence_download": [repairs.pk, evidence.pk],
        "reporting:evidence_delete": [repairs.pk, evidence.pk],
    }.get(name, [repairs.pk])


GET_ONLY = {"reporting:return_detail", "reporting:return_template", "reporting:evidence_download"}
POST_DATA = {
    "reporting:return_edit": lambda f: {f"r{r.pk}-actual": "1" for r in f["repairs"].results.all()},
    "reporting:return_review": lambda f: {"decision": "accept"},
    "reporting:departure_add": lambda f: {
        "what_happened": "x",
        "cases": 1,
        "reason": "x",
        "remedial_action": "x",
        "owner": "x",
        "target_date": "2027-01-01",
    },
    "reporting:departure_edit": lambda f: {
        "what_happened": "changed",
        "cases": 1,
        "reason": "x",
        "remedial_action": "x",
        "owner": "x",
        "target_date": "2027-01-01",
    },
    "reporting:departure_resolve": lambda f: {"resolved_on": "2026-11-01"},
    "reporting:evidence_add": lambda f: {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
    "reporting:return_import": lambda f: {"file": SimpleUploadedFile("a.csv", b"x")},
}


def snapshot(ret):
    ret.refresh_from_db()
    return (
        ret.status,
        ret.events.count(),
        list(StandardResult.objects.filter(quarterly_return=ret).values_list("actual", "commentary")),
        list(Departure.objects.filter(result__quarterly_return=ret).values_list("what_happened", "resolved")),
        ret.evidence.count(),
    )


@pytest.mark.parametrize("name", PER_RETURN)
def test_a_department_officer_cannot_see_or_change_another_departments_return(client_as, demo_data, name):
    f = matrix.fixtures(demo_data)
    client = client_as("environment.officer")
    url = reverse(name, args=other_department_args(name, f))
    before = snapshot(f["repairs"])
    assert client.get(url).status_code in (404, 405)  # 405: POST-only URLs
    response = client.post(url, POST_DATA.get(name, lambda f: {})(f))
    assert response.status_code == (405 if name in GET_ONLY else 404), f"POST {url}: {response.status_code}"
    assert snapshot(f["repairs"]) == before


def test_a_department_officer_cannot_submit_another_departments_return(client_as, demo_data):
    f = matrix.fixtures(demo_data)
    response = client_as("environment.officer").post(reverse("reporting:return_submit", args=[f["repairs"].pk]))
    assert response.status_code == 404
    assert QuarterlyReturn.objects.get(pk=f["repairs"].pk).status == "draft"


def test_the_return_list_and_departures_show_only_the_officers_department(client_as, demo_data):
    client = client_as("environment.officer")
    html = client.get(reverse("reporting:return_list")).content.decode()
    assert "Environmental Services" in html and "Property Services" not in html and "Legal Services" not in html
    html = client.get(reverse("reporting:departure_list")).content.decode()
    assert "Urgent repairs" not in html


@pytest.mark.parametrize(
    "username, name, expected",
    [
        ("coordinator", "reporting:return_submit", 403),  # coordinators review, they do not submit
        ("board.member", "reporting:return_submit", 403),
        ("board.member", "reporting:return_edit", 403),
        ("east.coordinator", "reporting:return_submit", 404),
        ("repairs.officer", "reporting:return_submit", 404),
        ("board.member", "reporting:evidence_add", 403),
    ],
)
def test_post_permissions_on_the_environment_return(client_as, demo_data, username, name, expected):
    f = matrix.fixtures(demo_data)
    response = client_as(username).post(reverse(name, args=[f["env"].pk]), {})
    assert response.status_code == expected
    assert QuarterlyReturn.objects.get(pk=f["env"].pk).status == "draft"


def test_review_posts_need_a_submitted_return_and_the_coordinators_almo(client_as, demo_data):
    f = matrix.fixtures(demo_data)
    url = reverse("reporting:return_review", args=[f["submitted"].pk])
    assert client_as("board.member").post(url, {"decision": "accept"}).status_code == 403
    assert client_as("east.coordinator").post(url, {"decision": "accept"}).status_code == 404
    assert client_as("environment.officer").post(url, {"decision": "accept"}).status_code in (403, 404)
    assert QuarterlyReturn.objects.get(pk=f["submitted"].pk).status == "submitted"
    response = client_as("coordinator").post(url, {"decision": "send_back", "comment": ""})
    assert "Say what the department needs to explain or correct." in response.content.decode()
    assert client_as("coordinator").post(url, {"decision": "accept"}).status_code == 302
    assert QuarterlyReturn.objects.get(pk=f["submitted"].pk).status == "accepted"


def test_only_coordinators_and_administrators_open_returns(client_as, demo_data):
    from services.periods import Quarter

    quarter = Quarter.containing(dt.date.today()).next()  # noqa: DTZ011
    url = reverse("reporting:returns_open")
    for username in ("environment.officer", "board.member"):
        assert client_as(username).post(url, {"quarter": quarter.slug}).status_code == 403
    assert not QuarterlyReturn.objects.filter(financial_year=quarter.year, quarter=quarter.number).exists()
    # the other ALMO's coordinator opens only their own (draft) agreement's: nothing
    client_as("east.coordinator").post(url, {"quarter": quarter.slug})
    assert not QuarterlyReturn.objects.filter(financial_year=quarter.year, quarter=quarter.number).exists()
    response = client_as("coordinator").post(url, {"quarter": quarter.slug})
    assert response.status_code == 302
    assert QuarterlyReturn.objects.filter(financial_year=quarter.year, quarter=quarter.number).count() == 11
