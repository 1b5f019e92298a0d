"""One definition of "late" (issue 10): the Europe/London date of submission against the due date,
on the model, in SQL, in the returns table, on the return page, on the dashboard and in the pack."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from reporting.models import QuarterlyReturn
from reporting.packs.content import pack_content
from services.periods import Quarter
from tests.helpers import at_noon

pytestmark = pytest.mark.django_db
UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def july_return(demo_data):
    """The Environmental Services return for 2026/27 Q1, due 21 July 2026, submitted at 00:30 BST on
    22 July — 23:30 UTC on 21 July."""
    ret = QuarterlyReturn.objects.get(
        agreement=demo_data["main"], department__name="Environmental Services", financial_year=2026, quarter=1
    )
    QuarterlyReturn.objects.filter(pk=ret.pk).update(
        due_date=dt.date(2026, 7, 21),
        status=QuarterlyReturn.Status.ACCEPTED,
        submitted_at=dt.datetime(2026, 7, 22, 0, 30, tzinfo=LONDON),
    )
    ret.refresh_from_db()
    assert ret.submitted_at.astimezone(UTC).date() == dt.date(2026, 7, 21)  # the UTC date was on time
    return ret


def test_the_model_reads_the_local_date(july_return):
    assert july_return.submitted_on == dt.date(2026, 7, 22)
    assert july_return.is_late(dt.date(2026, 8, 1))


def test_the_sql_rule_agrees_with_the_model(july_return):
    assert QuarterlyReturn.objects.submitted_late().filter(pk=july_return.pk).exists()
    on_time = QuarterlyReturn.objects.filter(pk=july_return.pk)
    on_time.update(submitted_at=dt.datetime(2026, 7, 21, 23, 59, tzinfo=LONDON))
    assert not on_time.submitted_late().exists() and not on_time.get().is_late(dt.date(2026, 8, 1))


def test_every_page_calls_it_late(client_as, july_return):
    client = client_as("coordinator")
    with time_machine.travel(at_noon(dt.date(2026, 8, 3)), tick=False):
        client.force_login(july_return.agreement.coordinator)
        listing = client.get(reverse("reporting:return_list"), {"financial_year": 2026}).content.decode()
        page = client.get(reverse("reporting:return_detail", args=[july_return.pk])).content.decode()
        dashboard = client.get(reverse("dashboard")).context["returns"]
        content = pack_content(almo=july_return.agreement.almo, quarter=Quarter(2026, 1))
    assert "Late</strong>" in page
    link = reverse("reporting:return_detail", args=[july_return.pk])
    row = listing[listing.index(f'href="{link}"') :]
    row = row[: row.index("</tr>")]
    assert "Late</strong>" in row
    assert dashboard.quarter == Quarter(2026, 1) and dashboard.late_count >= 1
    assert "Environmental Services" in [line.department for line in content.late_returns]
