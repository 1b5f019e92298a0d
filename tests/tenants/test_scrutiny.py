"""Tenant scrutiny panel: challenges, responses within working days, escalation, counts, and what the panel may read."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.models import AgreementVersion, Schedule
from agreements.snapshots import agreement_snapshot
from reporting.models import QuarterlyReturn
from reporting.scrutiny import selectors, services
from reporting.scrutiny.models import Challenge

CARS = "removal-of-abandoned-vehicles"
LEGAL = "legal-advice-and-conveyancing"


@pytest.fixture
def cars(demo_data):
    return Schedule.objects.select_related("service").get(agreement=demo_data["main"], service__slug=CARS)


def raise_one(demo_user, cars, *, today=dt.date(2026, 11, 2), **kw):
    fields = {
        "kind": "challenge",
        "title": "Cars left on Moorside",
        "body": "Three days, not 24 hours.",
        "standard": None,
    } | kw
    return services.challenge_raise(
        by=demo_user("panel.member"), almo=cars.agreement.almo, schedule=cars, today=today, **fields
    )


def test_response_is_due_the_set_number_of_working_days_later_skipping_christmas(demo_user, cars, settings):
    settings.SCRUTINY_RESPONSE_WORKING_DAYS = 5
    challenge = raise_one(demo_user, cars, today=dt.date(2026, 12, 22))
    # 23, 24 December; 25 and 28 December are bank holidays (26th a Saturday); 29, 30, 31
    assert challenge.response_due == dt.date(2026, 12, 31)
    assert challenge.status == Challenge.Status.AWAITING and challenge.raised_by.username == "panel.member"


def test_only_the_almos_panel_members_raise_challenges(demo_user, cars):
    for username in ("coordinator", "board.member", "council.officer", "environment.officer"):
        with pytest.raises(PermissionDenied):
            services.challenge_raise(
                by=demo_user(username),
                almo=cars.agreement.almo,
                schedule=cars,
                standard=None,
                kind="challenge",
                title="x",
                body="y",
            )


def test_a_standard_of_another_service_is_refused(demo_user, cars, demo_data):
    legal = Schedule.objects.get(agreement=demo_data["main"], service__slug=LEGAL)
    with pytest.raises(ValidationError) as error:
        raise_one(demo_user, cars, standard=legal.standards.first())
    assert "standard" in error.value.message_dict


def test_accepting_needs_an_action_and_declining_needs_reasons(demo_user, cars):
    challenge = raise_one(demo_user, cars)
    coordinator = demo_user("coordinator")
    with pytest.raises(ValidationError) as error:
        services.challenge_respond(
            challenge=challenge, by=coordinator, accept=True, response="", today=dt.date(2026, 11, 5)
        )
    assert set(error.value.message_dict) == {"action", "action_owner", "action_due"}
    with pytest.raises(ValidationError) as error:
        services.challenge_respond(
            challenge=challenge, by=coordinator, accept=False, response=" ", today=dt.date(2026, 11, 5)
        )
    assert set(error.value.message_dict) == {"response"}
    done = services.challenge_respond(
        challenge=challenge,
        by=coordinator,
        accept=True,
        response="Agreed.",
        action="Audit the timestamps",
        action_owner="Head of Environmental Services",
        action_due=dt.date(2027, 1, 31),
        today=dt.date(2026, 11, 5),
    )
    assert done.status == Challenge.Status.ACCEPTED and done.answered_in_time() is True
    with pytest.raises(PermissionDenied):  # answered once
        services.challenge_respond(
            challenge=done, by=coordinator, accept=False, response="No", today=dt.date(2026, 11, 6)
        )


def test_another_almos_coordinator_cannot_respond(demo_user, cars):
    challenge = raise_one(demo_user, cars)
    with pytest.raises(PermissionDenied):
        services.challenge_respond(challenge=challenge, by=demo_user("east.coordinator"), accept=False, response="No")


def test_escalation_only_once_declined_or_unanswered_after_the_due_date(demo_user, cars):
    panel = demo_user("panel.member")
    challenge = raise_one(demo_user, cars, today=dt.date(2026, 10, 1))
    before_due = challenge.response_due
    with pytest.raises(PermissionDenied):
        services.challenge_escalate(challenge=challenge, by=panel, reason="Too slow", today=before_due)
    with pytest.raises(ValidationError):
        services.challenge_escalate(challenge=challenge, by=panel, reason="", today=before_due + dt.timedelta(days=1))
    escalated = services.challenge_escalate(
        challenge=challenge, by=panel, reason="No answer", today=before_due + dt.timedelta(days=1)
    )
    assert (
        escalated.escalated_on == before_due + dt.timedelta(days=1)
        and escalated.stage_label == "Escalated to the board"
    )
    with pytest.raises(PermissionDenied):  # once only
        services.challenge_escalate(
            challenge=escalated, by=panel, reason="Again", today=before_due + dt.timedelta(days=2)
        )
    with pytest.raises(PermissionDenied):  # and the coordinator can no longer answer it here: it is the board's now
        services.challenge_respond(challenge=escalated, by=demo_user("coordinator"), accept=False, response="Late")


def test_a_declined_challenge_can_be_escalated_by_the_panel_not_the_coordinator(demo_user, cars):
    challenge = raise_one(demo_user, cars, today=dt.date(2026, 11, 2))
    services.challenge_respond(
        challenge=challenge, by=demo_user("coordinator"), accept=False, response="No budget", today=dt.date(2026, 11, 3)
    )
    with pytest.raises(PermissionDenied):
        services.challenge_escalate(
            challenge=challenge, by=demo_user("coordinator"), reason="x", today=dt.date(2026, 11, 4)
        )
    escalated = services.challenge_escalate(
        challenge=challenge, by=demo_user("panel.member"), reason="Not good enough", today=dt.date(2026, 11, 4)
    )
    assert escalated.status == Challenge.Status.DECLINED and escalated.escalated_on == dt.date(2026, 11, 4)


def test_counts_for_the_board_pack(demo_user, cars):
    almo = cars.agreement.almo
    Challenge.objects.filter(almo=almo).delete()
    a = raise_one(demo_user, cars, today=dt.date(2026, 7, 1))  # answered in time, accepted
    services.challenge_respond(
        challenge=a,
        by=demo_user("coordinator"),
        accept=True,
        response="",
        action="Act",
        action_owner="Owner",
        action_due=dt.date(2026, 9, 1),
        today=dt.date(2026, 7, 3),
    )
    b = raise_one(demo_user, cars, today=dt.date(2026, 7, 6))  # declined late, then escalated
    services.challenge_respond(
        challenge=b,
        by=demo_user("coordinator"),
        accept=False,
        response="No",
        today=b.response_due + dt.timedelta(days=7),
    )
    services.challenge_escalate(
        challenge=b, by=demo_user("panel.member"), reason="Late and no", today=b.response_due + dt.timedelta(days=8)
    )
    raise_one(demo_user, cars, today=dt.date(2026, 8, 3))  # unanswered, overdue by 1 October
    raise_one(demo_user, cars, today=dt.date(2026, 10, 5))  # next quarter: not counted
    counts = selectors.challenge_counts(
        almo=almo, start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30), today=dt.date(2026, 10, 1)
    )
    assert (counts.raised, counts.accepted, counts.declined, counts.awaiting, counts.overdue, counts.escalated) == (
        3,
        1,
        1,
        1,
        1,
        1,
    )
    assert (counts.answered, counts.answered_in_time, counts.share_in_time) == (2, 1, 50)


def test_respond_form_shows_errors_naming_the_field(client_as, demo_user, cars):
    challenge = raise_one(demo_user, cars)
    client = client_as("coordinator")
    response = client.post(reverse("reporting:challenge_respond", args=[challenge.pk]), {"decision": "decline"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Give the reasons for declining." in html and 'href="#id_response"' in html


def test_challenge_story_through_the_views(client_as, demo_user, cars):
    client = client_as("panel.member")
    response = client.post(
        reverse("reporting:challenge_add"),
        {
            "kind": "recommendation",
            "schedule": cars.pk,
            "standard": "",
            "title": "Text the reporter",
            "body": "Tell the tenant when the car has gone.",
        },
    )
    challenge = Challenge.objects.get(title="Text the reporter")
    assert response.status_code == 302 and response.url == challenge.get_absolute_url()
    client = client_as("coordinator")
    response = client.post(
        reverse("reporting:challenge_respond", args=[challenge.pk]),
        {"decision": "decline", "response": "The system cannot send texts."},
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == "declined" and challenge.responded_by.username == "coordinator"
    client = client_as("panel.member")
    response = client.post(reverse("reporting:challenge_escalate", args=[challenge.pk]), {"reason": "Ask the board."})
    challenge.refresh_from_db()
    assert response.status_code == 302 and challenge.escalated_on is not None


def test_panel_dashboard_lists_the_challenges_with_pinned_queries(client_as, django_assert_max_num_queries):
    client = client_as("panel.member")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert "Cars left for days on the Moorside estate" in html and "escalated to the board" in html
    assert "can be taken to the board" in html  # the declined one
    assert "Annual cost" not in html  # the council's cost dashboard is not the panel's


def test_challenge_list_query_count_is_pinned(client_as, demo_user, cars, django_assert_max_num_queries):
    for n in range(15):
        raise_one(demo_user, cars, title=f"Challenge {n}")
    client = client_as("coordinator")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:challenge_list"))
    assert response.content.decode().count("Challenge 1") >= 1


# --- What the panel reads -----------------------------------------------------------------


@pytest.fixture
def legal(demo_data):
    return Schedule.objects.get(agreement=demo_data["main"], service__slug=LEGAL)


def money(value: Decimal) -> str:
    return f"£{value:,.0f}"


def test_confidential_cost_is_withheld_from_the_panel_everywhere(client_as, demo_data, legal):
    assert legal.commercially_confidential
    figure = money(legal.annual_cost)
    main = demo_data["main"]
    pages = [
        reverse("agreements:agreement_detail", args=[main.pk]),
        reverse("agreements:schedule_detail", args=[main.pk, legal.pk]),
        reverse("agreements:schedule_list") + "?per_page=200",
        reverse("agreements:schedule_list") + "?_export=csv",
        reverse("services:service_detail", args=[legal.service_id]),
    ]
    panel, coordinator = client_as("panel.member"), None
    for url in pages:
        body = panel.get(url).content.decode()
        assert figure not in body and str(int(legal.annual_cost)) not in body, url
        if "_export" not in url:  # the export leaves the cell blank
            assert "Commercially confidential" in body, url
    assert legal.cost_basis not in panel.get(pages[1]).content.decode()
    coordinator = client_as("coordinator")
    assert figure in coordinator.get(pages[1]).content.decode()


def test_agreement_list_total_leaves_out_confidential_costs_for_the_panel(demo_data, demo_user, legal):
    from agreements.selectors import agreement_list

    full = sum(s.annual_cost for s in demo_data["main"].schedules.all())
    panel_total = agreement_list(user=demo_user("panel.member")).get(pk=demo_data["main"].pk).total_annual_cost
    coordinator_total = agreement_list(user=demo_user("coordinator")).get(pk=demo_data["main"].pk).total_annual_cost
    assert coordinator_total == full and panel_total == full - legal.annual_cost


def test_panel_cannot_open_versions_which_carry_every_cost(client_as, demo_data, demo_user):
    main = demo_data["main"]
    AgreementVersion.objects.create(
        agreement=main,
        number=99,
        purpose="sign_off",
        snapshot=agreement_snapshot(main),
        created_by=demo_user("coordinator"),
    )
    assert client_as("panel.member").get(reverse("agreements:version_detail", args=[main.pk, 99])).status_code == 403
    assert client_as("panel.member").get(reverse("agreements:version_pdf", args=[main.pk, 99])).status_code == 403
    assert client_as("board.member").get(reverse("agreements:version_detail", args=[main.pk, 99])).status_code == 200


def test_panel_reads_accepted_returns_only(demo_data, demo_user):
    from reporting.selectors import return_list

    seen = list(return_list(user=demo_user("panel.member")))
    assert seen and {r.status for r in seen} == {QuarterlyReturn.Status.ACCEPTED}
    assert {r.agreement.almo_id for r in seen} == {demo_data["main"].almo_id}
    assert QuarterlyReturn.objects.filter(agreement=demo_data["main"]).exclude(status="accepted").exists()


def test_panel_sees_settled_agreements_of_its_almo_only(demo_user, demo_data):
    from agreements.selectors import agreement_list

    assert list(agreement_list(user=demo_user("panel.member")).values_list("reference", flat=True)) == ["SLA-KNH-2025"]
    council = set(agreement_list(user=demo_user("council.officer")).values_list("reference", flat=True))
    assert council == {"SLA-KNH-2025", "SLA-KEH-2026", "SLA-KSH-2025"}


def test_board_pack_counts_the_panels_challenges_and_lists_escalations(demo_data, demo_user, cars):
    from reporting.packs.content import pack_content
    from services.periods import Quarter

    almo = demo_data["main"].almo
    Challenge.objects.filter(almo=almo).delete()
    quarter = Quarter(2026, 2)
    challenge = raise_one(demo_user, cars, today=dt.date(2026, 7, 1))
    services.challenge_escalate(
        challenge=challenge, by=demo_user("panel.member"), reason="No answer for weeks", today=dt.date(2026, 8, 20)
    )
    raise_one(demo_user, cars, today=dt.date(2026, 9, 1), title="Another one")
    pack = pack_content(almo=almo, quarter=quarter, today=dt.date(2026, 10, 20))
    assert (pack.challenges.raised, pack.challenges.awaiting, pack.challenges.escalated) == (2, 2, 1)
    assert [c.title for c in pack.escalated_challenges] == ["Cars left on Moorside"]
