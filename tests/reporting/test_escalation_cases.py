"""Escalation: the ladder, cases opened by the red-two-quarters rule or by hand (either party),
decisions at each step, closing on recovery or by decision, overdue steps."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting import services as returns
from reporting.cases import selectors, services
from reporting.cases.models import CaseStep, EscalationCase, EscalationStep
from reporting.models import QuarterlyReturn, StandardResult
from services.periods import Quarter

pytestmark = pytest.mark.django_db
GRASS = "Grass cuts completed to schedule"


def set_rag(agreement, title, quarter, rag):
    updated = StandardResult.objects.filter(
        quarterly_return__agreement=agreement,
        standard__title=title,
        quarterly_return__financial_year=quarter.year,
        quarterly_return__quarter=quarter.number,
    ).update(rag=rag)
    assert updated == 1, f"no result for {title} in {quarter.label}"


def last_ended():
    return Quarter.containing(timezone.localdate()).previous()


def test_the_default_ladder_has_five_steps_with_time_limits(demo_data):
    steps = services.procedure_steps(demo_data["east"])
    assert [s.position for s in steps] == [1, 2, 3, 4, 5]
    assert steps[0].title.startswith("Discussion") and steps[1].title == "Formal improvement notice"
    assert steps[2].title == "Monitoring meeting" and "Cabinet lead member" in steps[3].title
    assert steps[4].title.startswith("Formal dispute") and all(s.days_allowed > 0 for s in steps)
    assert all(s.pk is None for s in steps)  # nothing stored until someone changes it


def test_the_procedure_is_editable_only_while_the_agreement_is_a_draft(demo_data, demo_user):
    user = demo_user("east.coordinator")
    east = demo_data["east"]
    services.procedure_step_save(
        step=EscalationStep(agreement=east, title="Independent adjudicator", days_allowed=60), user=user
    )
    assert list(east.escalation_steps.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    services.procedure_step_delete(step=east.escalation_steps.get(position=3), user=user)
    assert list(east.escalation_steps.values_list("position", "title"))[2] == (
        3,
        "Referral to the boards and the Cabinet lead member",
    )
    with pytest.raises(ValidationError):
        services.procedure_step_save(
            step=EscalationStep(agreement=demo_data["main"], title="x", days_allowed=5), user=user
        )


def test_a_standard_red_two_quarters_running_opens_a_case_once(demo_data):
    main, q = demo_data["main"], last_ended()
    set_rag(main, GRASS, q.previous(), "red")
    set_rag(main, GRASS, q, "red")
    opened, _closed = services.cases_sync(agreement=main, quarter=q)
    case = next(c for c in opened if c.standard.title == GRASS)
    assert case.automatic and case.direction == EscalationCase.Direction.AGAINST_COUNCIL
    assert case.ground == EscalationCase.Ground.RED_TWICE and case.department.name == "Environmental Services"
    assert case.trigger_period == q and q.label in case.reason and q.previous().label in case.reason
    step = case.steps.get()
    assert step.position == 1 and step.due_on == case.opened_on + dt.timedelta(days=14)
    again, _ = services.cases_sync(agreement=main, quarter=q)
    assert not [c for c in again if c.standard.title == GRASS]
    services.case_close(
        case=case, user=None, note="Agreed to monitor informally", decided_by="Client officer", on=timezone.localdate()
    )
    reopened, _ = services.cases_sync(agreement=main, quarter=q)
    assert not [c for c in reopened if c.standard.title == GRASS], (
        "a case closed by decision is not reopened for the same quarter"
    )


def test_red_then_amber_opens_nothing(demo_data):
    main, q = demo_data["main"], last_ended()
    set_rag(main, GRASS, q.previous(), "amber")
    set_rag(main, GRASS, q, "red")
    opened, _ = services.cases_sync(agreement=main, quarter=q)
    assert not [c for c in opened if c.standard.title == GRASS]


def test_a_case_closes_when_the_standard_is_green_for_its_recovery_quarters(demo_data):
    main, q = demo_data["main"], last_ended()
    trigger = q.previous().previous()
    set_rag(main, GRASS, trigger.previous(), "red")
    set_rag(main, GRASS, trigger, "red")
    opened, _ = services.cases_sync(agreement=main, quarter=trigger)
    case = next(c for c in opened if c.standard.title == GRASS)
    set_rag(main, GRASS, q.previous(), "green")
    set_rag(main, GRASS, q, "amber")
    _, closed = services.cases_sync(agreement=main, quarter=q)
    assert case not in closed  # amber is not recovered
    set_rag(main, GRASS, q, "green")
    _, closed = services.cases_sync(agreement=main, quarter=q)
    assert case in closed
    case.refresh_from_db()
    assert case.status == "closed" and case.closure == EscalationCase.Closure.RECOVERED
    assert case.steps.get().outcome == CaseStep.Outcome.RESOLVED


def test_accepting_a_return_runs_the_red_two_quarters_rule(demo_data, demo_user):
    main = demo_data["main"]
    ret = QuarterlyReturn.objects.filter(agreement=main, status="submitted").first()
    result = ret.results.filter(standard__kind="measured").select_related("standard").first()
    StandardResult.objects.filter(pk=result.pk).update(rag="red")
    set_rag(main, result.standard.title, ret.period.previous(), "red")
    assert not EscalationCase.objects.filter(standard=result.standard).exists()
    returns.return_accept(quarterly_return=ret, user=demo_user("coordinator"))
    assert EscalationCase.objects.filter(standard=result.standard, status="open", automatic=True).count() == 1


def test_each_step_records_the_decision_and_the_case_climbs_the_ladder(demo_data, demo_user):
    user = demo_user("coordinator")
    today = timezone.localdate()
    case = services.case_open(
        agreement=demo_data["main"],
        direction="against_council",
        ground="poor_performance",
        reason="Payroll errors",
        user=user,
        today=today - dt.timedelta(days=40),
        department=demo_data["main"].schedules.get(service__name="Payroll").service.department,
    )
    nxt = services.case_decide(
        case=case,
        user=user,
        outcome="escalate",
        decision="Notice to be served",
        decided_by="Head of HR and client officer",
        decided_on=today - dt.timedelta(days=30),
    )
    assert (nxt.position, nxt.started_on, nxt.due_on) == (
        2,
        today - dt.timedelta(days=30),
        today - dt.timedelta(days=2),
    )
    assert nxt.is_overdue(today)
    assert [o.case for o in selectors.overdue_steps(user=user, today=today)].count(case) == 1
    with pytest.raises(ValidationError) as err:
        services.case_decide(
            case=case, user=user, outcome="continue", decision="More time", decided_by="x", decided_on=today
        )
    assert "new_due_on" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.case_decide(
            case=case,
            user=user,
            outcome="escalate",
            decision="x",
            decided_by="x",
            decided_on=today + dt.timedelta(days=1),
        )
    services.case_decide(
        case=case,
        user=user,
        outcome="escalate",
        decision="Remedial plan by month end",
        decided_by="Client officer",
        decided_on=today,
        remedial_plan="Weekly checks",
        remedial_date=today + dt.timedelta(days=30),
    )
    for _ in range(2):
        services.case_decide(
            case=case, user=user, outcome="escalate", decision="Up", decided_by="Board", decided_on=today
        )
    assert case.steps.filter(outcome="").get().position == 5
    with pytest.raises(ValidationError) as err:
        services.case_decide(case=case, user=user, outcome="escalate", decision="x", decided_by="x", decided_on=today)
    assert "outcome" in err.value.message_dict
    services.case_decide(
        case=case, user=user, outcome="resolved", decision="Settled", decided_by="Both parties", decided_on=today
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closure == "decision" and case.closure_note == "Settled"
    assert list(case.steps.order_by("pk").values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert case.steps.get(position=2).remedial_plan == "Weekly checks"


def test_a_department_officer_raises_a_case_against_the_almo(client_as, demo_data):
    client = client_as("repairs.officer")
    page = client.get(reverse("reporting:case_open"))
    assert page.status_code == 200
    assert (
        b"Council raises against the ALMO" in page.content
        and b"ALMO raises against a council department" not in page.content
    )
    response = client.post(
        reverse("reporting:case_open"),
        {
            "agreement": demo_data["main"].pk,
            "direction": "against_almo",
            "ground": "no_access",
            "reason": "Tenants' homes not made available for gas servicing",
            "recovery_quarters": 2,
        },
    )
    case = EscalationCase.objects.get(ground="no_access")
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.direction == "against_almo" and case.department.name == "Property Services"
    assert case.against == "Kirkby Neighbourhood Homes" and case.opened_by.username == "repairs.officer"
    assert client.get(case.get_absolute_url()).status_code == 200


def test_a_case_against_the_almo_cannot_be_about_a_departments_performance(demo_data, demo_user):
    with pytest.raises(ValidationError) as err:
        services.case_open(
            agreement=demo_data["main"],
            direction="against_almo",
            ground="red_twice",
            reason="x",
            user=demo_user("admin"),
        )
    assert "ground" in err.value.message_dict


def test_opening_by_hand_shows_errors_on_the_fields(client_as, demo_data):
    client = client_as("coordinator")
    response = client.post(
        reverse("reporting:case_open"),
        {
            "agreement": demo_data["main"].pk,
            "direction": "against_council",
            "ground": "poor_performance",
            "reason": "",
            "recovery_quarters": 2,
        },
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content and b'href="#id_reason"' in response.content
    response = client.post(
        reverse("reporting:case_open"),
        {
            "agreement": demo_data["main"].pk,
            "direction": "against_council",
            "ground": "poor_performance",
            "reason": "Slow",
            "recovery_quarters": 2,
        },
    )
    assert b"Choose the council department the case is against." in response.content


def test_a_coordinator_records_a_decision_with_a_govuk_date(client_as, demo_data):
    case = EscalationCase.objects.get(agreement=demo_data["main"], automatic=True, status="open")
    client = client_as("coordinator")
    today = timezone.localdate()
    data = {
        "outcome": "escalate",
        "decision": "Monitoring meeting to review",
        "decided_by": "Client officer",
        "decided_on_0": str(today.day),
        "decided_on_1": str(today.month),
        "decided_on_2": "",
    }
    response = client.post(reverse("reporting:case_decide", args=[case.pk]), data)
    assert response.status_code == 200 and "The date decided must include a year." in response.content.decode()
    data["decided_on_2"] = str(today.year)
    response = client.post(reverse("reporting:case_decide", args=[case.pk]), data)
    assert response.status_code == 302
    assert case.steps.filter(outcome="").get().position == 3


def test_board_members_read_cases_but_cannot_decide(client_as, demo_data):
    case = EscalationCase.objects.get(agreement=demo_data["main"], automatic=True, status="open")
    client = client_as("board.member")
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200 and b"Record the decision" not in page.content
    assert client.post(reverse("reporting:case_decide", args=[case.pk]), {}).status_code == 403


def test_case_list_and_detail_query_counts_are_pinned(client_as, demo_data, django_assert_max_num_queries):
    client = client_as("coordinator")
    case = EscalationCase.objects.get(agreement=demo_data["main"], automatic=True, status="open")
    department = demo_data["main"].schedules.get(service__name="Payroll").service.department
    for n in range(6):  # more cases, some overdue: still the same number of queries
        services.case_open(
            agreement=demo_data["main"],
            direction="against_council",
            ground="poor_performance",
            reason=f"Case {n}",
            department=department,
            today=timezone.localdate() - dt.timedelta(days=30 * n),
        )
    with django_assert_max_num_queries(13 + 1):
        assert client.get(reverse("reporting:case_list")).status_code == 200
    with django_assert_max_num_queries(14 + 1):
        assert client.get(case.get_absolute_url()).status_code == 200


def test_the_east_coordinator_adds_a_step_to_the_draft_agreements_procedure(client_as, demo_data):
    east = demo_data["east"]
    client = client_as("east.coordinator")
    page = client.get(reverse("reporting:procedure", args=[east.pk])).content.decode()
    assert "This is the default procedure" in page and "Add a step" in page
    response = client.post(
        reverse("reporting:procedure_step_add", args=[east.pk]), {"title": "Adjudication", "days_allowed": ""}
    )
    assert response.status_code == 200 and b'href="#id_days_allowed"' in response.content
    client.post(
        reverse("reporting:procedure_step_add", args=[east.pk]),
        {"title": "Adjudication", "description": "An adjudicator decides.", "days_allowed": 60},
    )
    assert list(east.escalation_steps.values_list("position", "title"))[-1] == (6, "Adjudication")
    main_page = (
        client_as("coordinator").get(reverse("reporting:procedure", args=[demo_data["main"].pk])).content.decode()
    )
    assert "Add a step" not in main_page and "can be changed while the agreement is a draft" in main_page
