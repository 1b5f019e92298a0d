"""The "Your tasks" list at the top of the dashboard and the counts in the navigation: what each role is
waiting on, each item a link that opens for them, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import notice_writes
from agreements import services as agreement_services
from agreements.models import Comment, VariationChange
from reporting import services as reporting_services
from reporting.models import Departure, QuarterlyReturn
from reporting.tasks_list import LIMIT, task_counts, your_tasks
from tests.agreements.factories import draft_copy_of_main, user
from tests.reporting.conftest import current_return, fill

pytestmark = pytest.mark.django_db

# Queries to read the whole list per role: one per group the role has (its first items and
# their total), two for approvals (agreements and variations), whatever the data. The
# navigation's counts alone take one query.
QUERIES = {"admin": 6, "coordinator": 6, "board.member": 3, "environment.officer": 4, "almo.signatory": 3}
# issue 14: the tenants' task list (+5); issue 17: escalations read red results, then the quarter before (+1)
DASHBOARD_QUERIES = 30 + 5 + 1


def fresh(username):
    return get_user_model().objects.select_related("profile").get(username=username)


def groups(username, today=None):
    tasks = your_tasks(user=fresh(username), today=today or timezone.localdate())
    return {g.key: g for g in tasks.groups}


def labels(username, key, today=None):
    return [t.label for t in groups(username, today)[key].items]


def assert_links_open(username, today=None):
    client = Client()
    client.force_login(fresh(username))
    for group in groups(username, today).values():
        for task in group.items:
            response = client.get(task.url.split("#")[0])
            assert response.status_code == 200, f"{username}: {task.label} -> {task.url} {response.status_code}"


def test_comments_to_answer_for_the_coordinator_until_answered(demo_data):
    draft = draft_copy_of_main(demo_data)
    version = agreement_services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=timezone.localdate() + dt.timedelta(days=7)
    )
    first = agreement_services.comment_add(version=version, author=user("legal.officer"), body="One.")
    agreement_services.comment_add(version=version, author=user("repairs.officer"), body="Two.")
    coordinator = groups("coordinator")["comments"]
    assert coordinator.count == 2 and labels("coordinator", "comments") == ["Answer 2 comments on SLA-KNH-NEXT v1"]
    assert "#comments" in coordinator.items[0].url
    assert groups("east.coordinator")["comments"].count == 1  # only the east ALMO's own (demo) comment
    assert groups("legal.officer")["comments"].count == 0
    assert_links_open("coordinator")
    agreement_services.comment_respond(
        comment=first, user=user("coordinator"), status=Comment.Status.ANSWERED, response="Done."
    )
    assert labels("coordinator", "comments") == ["Answer 1 comment on SLA-KNH-NEXT v1"]


def test_approvals_wait_for_each_signatory_until_they_decide(demo_data):
    draft = draft_copy_of_main(demo_data)
    agreement_services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    assert labels("council.signatory", "approvals") == ["Sign off SLA-KNH-NEXT: Next agreement"]
    assert labels("almo.signatory", "approvals") == ["Sign off SLA-KNH-NEXT: Next agreement"]
    assert groups("coordinator")["approvals"].count == 0
    assert_links_open("almo.signatory")
    agreement_services.agreement_approve(
        agreement=draft, user=user("council.signatory"), version_number=draft.versions.order_by("number").last().number
    )
    assert groups("council.signatory")["approvals"].count == 0
    assert groups("almo.signatory")["approvals"].count == 1


def test_variations_wait_for_each_signatory_until_they_decide(demo_data):
    main = demo_data["main"]
    variation = agreement_services.variation_propose(
        agreement=main,
        user=user("coordinator"),
        reason="Uplift.",
        effective_date=timezone.localdate() + dt.timedelta(30),
        schedule=main.schedules.get(service__slug="legal-advice-and-conveyancing"),
        field=VariationChange.Field.ANNUAL_COST,
        new_value="195000",
    )
    assert labels("almo.signatory", "approvals") == [f"Decide on variation {variation.number} to SLA-KNH-2025"]
    assert_links_open("almo.signatory")
    agreement_services.variation_decide(
        variation=variation,
        user=user("almo.signatory"),
        approve=True,
        revision=type(variation).objects.get(pk=variation.pk).revision,
    )
    assert groups("almo.signatory")["approvals"].count == 0
    assert groups("council.signatory")["approvals"].count == 1


def test_returns_to_fill_and_fix_for_the_department_and_to_review_for_the_coordinator(demo_data):
    ret = current_return(demo_data, "Environmental Services")
    assert groups("environment.officer")["fill"].count == 0  # its quarter is still running
    after_quarter = ret.period.end + dt.timedelta(days=1)
    assert labels("environment.officer", "fill", after_quarter) == [
        f"Fill in and submit the {ret.period.label} return (SLA-KNH-2025)",
        f"Fill in and submit the {ret.period.label} return (SLA-KSH-2025)",  # the third demo ALMO (issue 14)
    ]
    late = groups("environment.officer", ret.due_date + dt.timedelta(days=1))["fill"].items[0]
    assert late.tag == "Overdue"
    assert late.url == ret.get_absolute_url()
    repairs = [t.url for t in groups("repairs.officer", after_quarter)["fill"].items]
    assert repairs and ret.get_absolute_url() not in repairs  # their own department's returns only

    reporting_services.return_save(quarterly_return=ret, user=user("environment.officer"), results=fill(ret))
    reporting_services.return_submit(quarterly_return=ret, user=user("environment.officer"))
    review = [t.label for t in groups("coordinator")["review"].items]
    assert f"Review the Environmental Services return for {ret.period.label} (SLA-KNH-2025)" in review
    assert groups("board.member")["review"].count == 0 and groups("east.coordinator")["review"].count == 0
    assert_links_open("coordinator")

    reporting_services.return_send_back(quarterly_return=ret, user=user("coordinator"), comment="Why?")
    [task] = groups("environment.officer")["fill"].items
    assert task.label.startswith("Answer the query on") and task.tag == "Queried back"
    assert_links_open("environment.officer")


def test_remedial_actions_past_their_date_for_who_may_resolve_them(demo_data):
    ret = current_return(demo_data, "Environmental Services")
    Departure.objects.create(
        result=ret.results.first(),
        what_happened="Late removals",
        cases=3,
        reason="Vehicle breakdown",
        remedial_action="Hire a second truck",
        owner="Fleet manager",
        target_date=timezone.localdate(),
    )
    assert not any("Hire a second truck" in label for label in labels("environment.officer", "actions"))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for username in ("environment.officer", "coordinator", "admin"):
        assert any("Hire a second truck" in label for label in labels(username, "actions", tomorrow)), username
    for username in ("repairs.officer", "board.member", "east.coordinator"):
        assert not any("Hire a second truck" in label for label in labels(username, "actions", tomorrow)), username
    assert_links_open("environment.officer", tomorrow)


def test_notices_about_to_take_effect_for_those_who_see_notices(demo_data):
    main = demo_data["main"]
    schedule = main.schedules.get(service__slug="legal-advice-and-conveyancing")
    notice = notice_writes.notice_serve(
        schedule=schedule, user=user("coordinator"), served_on=timezone.localdate(), reason="Cheaper elsewhere."
    )
    soon = notice.effective_date - dt.timedelta(days=10)
    for username in ("coordinator", "board.member", "admin"):
        [task] = [t for t in groups(username, soon)["notices"].items if schedule.service.name in t.label]
        assert task.tag == "In 10 days"
    assert groups("coordinator", notice.effective_date - dt.timedelta(days=200))["notices"].count == 0
    assert groups("legal.officer", soon)["notices"].count == 0
    assert groups("east.coordinator", soon)["notices"].count == 0
    assert_links_open("board.member", soon)


@pytest.mark.parametrize("username", sorted(QUERIES))
def test_the_list_and_the_counts_take_a_fixed_number_of_queries(demo_data, username, django_assert_num_queries):
    today = timezone.localdate()
    # more of everything: it must not cost more queries
    draft = draft_copy_of_main(demo_data)
    version = agreement_services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=today + dt.timedelta(days=7)
    )
    for n in range(LIMIT + 2):
        agreement_services.comment_add(version=version, author=user("legal.officer"), body=f"Comment {n}.")
    for ret in QuarterlyReturn.objects.filter(agreement=demo_data["main"], status="draft")[:5]:
        QuarterlyReturn.objects.filter(pk=ret.pk).update(status="submitted", submitted_at=timezone.now())
    person = fresh(username)
    with django_assert_num_queries(QUERIES[username]):
        tasks = your_tasks(user=person, today=today)
        assert all(len(g.items) <= LIMIT for g in tasks.groups)
    with django_assert_num_queries(1):
        counts = task_counts(user=person, today=today)
    assert counts.by_group == {g.key: g.count for g in tasks.groups}
    assert counts.total == tasks.total == counts.agreements + counts.returns


def test_a_group_longer_than_the_list_says_how_many_more(demo_data):
    for ret in QuarterlyReturn.objects.filter(agreement=demo_data["main"], status="draft")[: LIMIT + 3]:
        QuarterlyReturn.objects.filter(pk=ret.pk).update(status="submitted", submitted_at=timezone.now())
    review = groups("coordinator")["review"]
    assert len(review.items) == LIMIT and review.more == review.count - LIMIT > 0
    html = _dashboard("coordinator")
    assert f"And {review.more} more" in html


def _dashboard(username):
    client = Client()
    client.force_login(fresh(username))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("username", ["admin", "coordinator", "board.member", "environment.officer", "almo.signatory"])
def test_every_roles_dashboard_opens_with_its_tasks(demo_data, username, django_assert_max_num_queries):
    client = Client()
    client.force_login(fresh(username))
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        html = client.get(reverse("dashboard")).content.decode()
    assert html.index('id="your-tasks"') < html.index("Agreements</h2>")  # at the top
    counts = task_counts(user=fresh(username), today=timezone.localdate())
    if counts.total:
        assert "Nothing is waiting for you." not in html
    else:
        assert "Nothing is waiting for you." in html


def test_navigation_counts_on_every_page(demo_data):
    """The coordinator has returns to review: the Returns item says how many, on any page."""
    counts = task_counts(user=fresh("coordinator"), today=timezone.localdate())
    assert counts.returns > 0
    client = Client()
    client.force_login(fresh("coordinator"))
    html = client.get(reverse("agreements:agreement_list")).content.decode()
    # beside the link, not in it: the link keeps its name ("Returns")
    badge = f'<span class="app-nav-count">{counts.returns}<span class="govuk-visually-hidden"> tasks waiting for you'
    assert f">Returns</a>{badge}" in html
    board = Client()
    board.force_login(fresh("board.member"))
    assert "app-nav-count" not in board.get(reverse("agreements:agreement_list")).content.decode()
