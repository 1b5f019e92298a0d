"""The notification matrix: every workflow event × who is told.

Each row does the real thing through the service functions (on the demo council), runs the
on-commit callbacks (the e-mails are queued after commit; Celery runs eagerly here), and
checks that exactly the expected people got exactly one e-mail each, that its link is built
on the configured ``SITE_URL`` and opens for that person, and that telling again (a
redelivered task, the hook called twice) sends nothing more.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.utils import timezone

from agreements import notice_writes
from agreements import services as agreement_services
from agreements.models import Agreement, Schedule, Variation, VariationChange
from almo_sla.celery import app
from reporting import services as reporting_services
from reporting import tasks as reporting_tasks
from reporting.models import BoardPack, Departure, QuarterlyReturn
from reporting.packs import services as packs
from reporting.packs.render import PackPdf
from services.models import Notification, Service
from services.notifications import send_notification
from services.periods import Quarter, add_working_days
from tests.agreements.factories import draft_copy_of_main, user
from tests.reporting.conftest import current_return, fill

SITE = "https://sla.example.gov.uk"
OFFICERS = {"environment.officer", "legal.officer", "repairs.officer"}


@dataclass
class Row:
    event: str
    prepare: Callable  # (demo) -> act: () -> the object the event is about
    told: set[str]


# --- Drafting and sign-off ----------------------------------------------------------------------


def _circulated_draft(demo):
    draft = draft_copy_of_main(demo)
    return agreement_services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=timezone.localdate() + dt.timedelta(days=14)
    )


def circulate(demo):
    draft = draft_copy_of_main(demo)
    deadline = timezone.localdate() + dt.timedelta(days=14)
    return lambda: agreement_services.agreement_circulate(
        agreement=draft, user=user("coordinator"), comment_deadline=deadline
    )


def comment(demo):
    version = _circulated_draft(demo)
    legal = Service.objects.get(slug="legal-advice-and-conveyancing")
    return lambda: agreement_services.comment_add(
        version=version, author=user("legal.officer"), body="Too slow.", service=legal
    )


def answer(demo):
    version = _circulated_draft(demo)
    posted = agreement_services.comment_add(version=version, author=user("legal.officer"), body="Too slow.")
    return lambda: agreement_services.comment_respond(
        comment=posted, user=user("coordinator"), status="accepted", response="Changed to 10 working days."
    )


def send_for_signoff(demo):
    draft = draft_copy_of_main(demo)
    return lambda: agreement_services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))


def _awaiting(demo, **kwargs):
    draft = draft_copy_of_main(demo, **kwargs)
    agreement_services.agreement_send_for_signoff(agreement=draft, user=user("coordinator"))
    return draft


def first_approval(demo):
    draft = _awaiting(demo)
    return lambda: agreement_services.agreement_approve(
        agreement=draft, user=user("council.signatory"), version_number=draft.versions.order_by("number").last().number
    )


def second_approval(demo):
    draft = _awaiting(demo)
    agreement_services.agreement_approve(
        agreement=draft, user=user("council.signatory"), version_number=draft.versions.order_by("number").last().number
    )

    def act():
        agreement_services.agreement_approve(
            agreement=draft, user=user("almo.signatory"), version_number=draft.versions.order_by("number").last().number
        )
        return draft

    return act


def activation(demo):
    start = dt.date(timezone.localdate().year + 1, 4, 1)
    draft = _awaiting(demo, start=start)
    agreement_services.agreement_approve(
        agreement=draft, user=user("council.signatory"), version_number=draft.versions.order_by("number").last().number
    )
    agreement_services.agreement_approve(
        agreement=draft, user=user("almo.signatory"), version_number=draft.versions.order_by("number").last().number
    )
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.AGREED

    def act():
        assert agreement_services.activate_due_agreements(today=start) >= 1
        return draft

    return act


def decline(demo):
    """The sign-off branch records the decision; the hook is what it calls."""
    draft = _awaiting(demo)

    def act():
        return agreement_services.agreement_decline(
            agreement=draft,
            user=user("council.signatory"),
            reason="The costs are too high.",
            version_number=draft.versions.order_by("number").last().number,
        )

    return act


# --- Variations -------------------------------------------------------------------------------


def _legal_schedule(demo) -> Schedule:
    return demo["main"].schedules.get(service__slug="legal-advice-and-conveyancing")


def _propose(demo, *, effective=None):
    return agreement_services.variation_propose(
        agreement=demo["main"],
        user=user("coordinator"),
        reason="Uplift agreed at the liaison meeting.",
        effective_date=effective or timezone.localdate() + dt.timedelta(days=60),
        schedule=_legal_schedule(demo),
        field=VariationChange.Field.ANNUAL_COST,
        new_value="195000",
    )


def propose(demo):
    return lambda: _propose(demo)


def approve_variation(demo):
    variation = _propose(demo)
    agreement_services.variation_decide(
        variation=variation,
        user=user("council.signatory"),
        approve=True,
        revision=type(variation).objects.get(pk=variation.pk).revision,
    )

    def act():
        agreement_services.variation_decide(
            variation=variation,
            user=user("almo.signatory"),
            approve=True,
            revision=type(variation).objects.get(pk=variation.pk).revision,
        )
        return variation

    return act


def reject_variation(demo):
    variation = _propose(demo)

    def act():
        agreement_services.variation_decide(
            variation=variation,
            user=user("council.signatory"),
            approve=False,
            reason="Not in this year's budget.",
            revision=type(variation).objects.get(pk=variation.pk).revision,
        )
        return variation

    return act


def apply_variation(demo):
    effective = timezone.localdate() + dt.timedelta(days=60)
    variation = _propose(demo, effective=effective)
    agreement_services.variation_decide(
        variation=variation,
        user=user("council.signatory"),
        approve=True,
        revision=type(variation).objects.get(pk=variation.pk).revision,
    )
    agreement_services.variation_decide(
        variation=variation,
        user=user("almo.signatory"),
        approve=True,
        revision=type(variation).objects.get(pk=variation.pk).revision,
    )

    def act():
        assert agreement_services.apply_due_variations(today=effective) == 1
        return variation

    return act


def withdraw_variation(demo):
    variation = _propose(demo)

    def act():
        return agreement_services.variation_withdraw(
            variation=variation, user=user("coordinator"), reason="Superseded."
        )

    return act


# --- Notices -------------------------------------------------------------------------------------


def serve_notice(demo):
    schedule = _legal_schedule(demo)
    return lambda: notice_writes.notice_serve(
        schedule=schedule, user=user("coordinator"), served_on=timezone.localdate(), reason="Market tested: cheaper."
    )


def withdraw_notice(demo):
    notice = notice_writes.notice_serve(
        schedule=_legal_schedule(demo),
        user=user("coordinator"),
        served_on=timezone.localdate(),
        reason="Market tested: cheaper.",
    )
    return lambda: notice_writes.notice_withdraw(notice=notice, user=user("coordinator"))


# --- Quarterly returns ---------------------------------------------------------------------------


def open_returns(demo):
    quarter = Quarter.containing(timezone.localdate()).next()

    def act():
        reporting_services.returns_open(quarter=quarter, agreement=demo["main"])
        return QuarterlyReturn.objects.get(
            agreement=demo["main"],
            department__name="Environmental Services",
            financial_year=quarter.year,
            quarter=quarter.number,
        )

    return act


def _filled(demo):
    ret = current_return(demo, "Environmental Services")
    reporting_services.return_save(quarterly_return=ret, user=user("environment.officer"), results=fill(ret))
    return ret


def submit(demo):
    ret = _filled(demo)

    def act():
        reporting_services.return_submit(quarterly_return=ret, user=user("environment.officer"))
        return ret

    return act


def send_back(demo):
    ret = _filled(demo)
    reporting_services.return_submit(quarterly_return=ret, user=user("environment.officer"))

    def act():
        reporting_services.return_send_back(quarterly_return=ret, user=user("coordinator"), comment="Why so low?")
        return ret

    return act


def accept(demo):
    ret = _filled(demo)
    reporting_services.return_submit(quarterly_return=ret, user=user("environment.officer"))

    def act():
        reporting_services.return_accept(quarterly_return=ret, user=user("coordinator"), comment="Thank you.")
        return ret

    return act


def _daily_reminders(demo, day_of):
    ret = current_return(demo, "Environmental Services")
    # only this return is outstanding (the other ALMOs' returns would be reminded of too)
    QuarterlyReturn.objects.exclude(pk=ret.pk).filter(status__in=QuarterlyReturn.EDITABLE_STATUSES).update(
        status=QuarterlyReturn.Status.SUBMITTED
    )

    def act():
        reporting_tasks.send_return_reminders(day_of(ret).isoformat())
        return ret

    return act


def due_soon(demo):
    return _daily_reminders(demo, lambda ret: add_working_days(ret.due_date, -3))


def overdue(demo):
    return _daily_reminders(demo, lambda ret: ret.due_date + dt.timedelta(days=1))


def remind(demo):
    ret = current_return(demo, "Environmental Services")

    def act():
        reporting_services.return_remind(
            quarterly_return=ret, user=user("coordinator"), today=ret.due_date + dt.timedelta(days=3)
        )
        return ret

    return act


def remedial_overdue(demo):
    ret = current_return(demo, "Environmental Services")
    Departure.objects.filter(resolved=False).update(resolved=True, resolved_on=timezone.localdate())
    departure = Departure.objects.create(
        result=ret.results.first(),
        what_happened="Late removals",
        cases=3,
        reason="Vehicle breakdown",
        remedial_action="Hire a second truck",
        owner="Fleet manager",
        target_date=timezone.localdate(),
    )

    def act():
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        assert reporting_services.remedial_actions_overdue_notify(today=tomorrow) == 2
        return departure

    return act


# --- Board packs -----------------------------------------------------------------------------------


def _rendering_pack(demo):
    return BoardPack.objects.create(
        almo=demo["main"].almo,
        agreement=demo["main"],
        financial_year=2025,
        quarter=2,
        requested_by=user("board.member"),
        status=BoardPack.Status.RENDERING,
        started_at=timezone.now(),
        attempts=1,
    )


def pack_ready(demo):
    pack = _rendering_pack(demo)
    pdf = PackPdf(pdf=b"%PDF-1.7\n% a stand-in\n%%EOF\n", pages=3, starts={}, bookmarks=[])
    return lambda: packs.board_pack_complete(pack_id=pack.pk, result=pdf, is_final=False)


def pack_failed(demo):
    pack = _rendering_pack(demo)

    def act():
        packs.board_pack_fail(pack_id=pack.pk, reason="The renderer ran out of memory.")
        return BoardPack.objects.get(pk=pack.pk)

    return act


BOUND = {"coordinator", "council.signatory", "almo.signatory"} | OFFICERS
MATRIX = [
    Row("circulated", circulate, {"council.signatory", "almo.signatory"} | OFFICERS),
    Row("comment_received", comment, {"coordinator"}),
    Row("comment_answered", answer, {"legal.officer"}),
    Row("signoff_requested", send_for_signoff, {"council.signatory", "almo.signatory"}),
    Row("approved", first_approval, {"coordinator", "almo.signatory"}),
    Row("declined", decline, {"coordinator", "almo.signatory"}),
    Row("agreed", second_approval, BOUND - {"almo.signatory"}),
    Row("active", activation, BOUND),
    Row("variation_proposed", propose, {"council.signatory", "almo.signatory"}),
    Row("variation_approved", approve_variation, {"coordinator", "council.signatory"}),
    Row("variation_rejected", reject_variation, {"coordinator", "almo.signatory"}),
    Row("variation_applied", apply_variation, {"coordinator", "council.signatory", "almo.signatory", "legal.officer"}),
    Row("variation_withdrawn", withdraw_variation, {"council.signatory", "almo.signatory"}),
    Row("notice_served", serve_notice, {"council.signatory", "almo.signatory", "legal.officer"}),
    Row("notice_withdrawn", withdraw_notice, {"council.signatory", "almo.signatory", "legal.officer"}),
    Row("return_opened", open_returns, {"environment.officer"}),
    Row("return_submitted", submit, {"coordinator"}),
    Row("return_sent_back", send_back, {"environment.officer"}),
    Row("return_accepted", accept, {"environment.officer"}),
    Row("return_due_soon", due_soon, {"environment.officer"}),
    Row("return_overdue", overdue, {"environment.officer", "coordinator"}),
    Row("return_reminder", remind, {"environment.officer"}),
    Row("remedial_action_overdue", remedial_overdue, {"environment.officer", "coordinator"}),
    Row("board_pack_ready", pack_ready, {"board.member"}),
    Row("board_pack_failed", pack_failed, {"board.member"}),
]


def test_the_matrix_covers_every_event_but_the_scheduled_comment_deadlines():
    """Deadline reminders are the beat job's (tests/agreements/test_notifications.py)."""
    scheduled = {"comment_deadline_reminder", "comment_deadline_passed"}
    assert {row.event for row in MATRIX} == set(Notification.Event.values) - scheduled


@pytest.fixture
def eager_tasks():
    """Celery runs tasks in-process, even when a broker is configured (the PostgreSQL CI run)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


LINK = re.compile(re.escape(SITE) + r"(/\S*)")


@pytest.mark.django_db
@pytest.mark.parametrize("row", MATRIX, ids=[row.event for row in MATRIX])
def test_each_event_emails_the_right_people_once_with_a_working_link(
    row, demo_data, settings, eager_tasks, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE + "/"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        act = row.prepare(demo_data)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        obj = act()

    records = list(
        Notification.objects.filter(
            event=row.event, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("recipient")
    )
    assert {r.recipient.username for r in records} == row.told
    assert all(r.sent_at is not None and r.attempts == 1 and not r.failure_reason for r in records)
    for record in records:
        recipient = record.recipient
        mine = [m for m in mail.outbox if m.to == [recipient.email] and m.subject == record.subject]
        assert len(mine) == 1, f"{recipient.username} got {len(mine)} e-mails about {row.event}"
        body = mine[0].body
        assert f"Dear {recipient.get_full_name()}" in body
        assert "&#x27;" not in body and "&quot;" not in body and "&amp;" not in body  # plain text, not HTML-escaped
        link = LINK.search(body)
        assert link, body
        client = Client()
        client.force_login(recipient)
        page = client.get(link.group(1).split("#")[0])
        assert page.status_code == 200, f"{recipient.username}: {link.group(1)} answered {page.status_code}"
    # nobody else was sent this event's e-mail about it
    event_subjects = {r.subject for r in records}
    assert len([m for m in mail.outbox if m.subject in event_subjects]) == len(records)

    # telling again sends nothing: a redelivered task, or the hook run again for the same occurrence
    sent = len(mail.outbox)
    for record in records:
        assert send_notification.apply(args=[record.pk]).get() == "skipped"
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(event=row.event, object_id=obj.pk).count() == len(records)


@pytest.mark.django_db
def test_the_person_who_acted_is_not_told(demo_data, eager_tasks, django_capture_on_commit_callbacks):
    """The council signatory comments on a draft they sign: the coordinator is told, they are not."""
    version = _circulated_draft(demo_data)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement_services.comment_add(version=version, author=user("coordinator"), body="A note to self.")
    assert not [m for m in mail.outbox if "New comment" in m.subject]


@pytest.mark.django_db
def test_a_resubmitted_return_tells_the_coordinator_again(demo_data, eager_tasks, django_capture_on_commit_callbacks):
    ret = _filled(demo_data)
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.return_submit(quarterly_return=ret, user=user("environment.officer"))
        reporting_services.return_send_back(quarterly_return=ret, user=user("coordinator"), comment="Why?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.return_submit(quarterly_return=ret, user=user("environment.officer"))
    [message] = [m for m in mail.outbox if m.to == ["coordinator@example.gov.uk"]]
    assert "resubmitted" in message.subject


@pytest.mark.django_db
def test_a_variation_change_value_is_shown_in_the_proposal(demo_data, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        variation = _propose(demo_data)
    body = next(m.body for m in mail.outbox if m.to == ["almo.signatory@example.gov.uk"])
    assert "Legal advice and conveyancing" in body and "195000" in body and variation.reason in body
    assert Variation.objects.get(pk=variation.pk).status == "proposed"
    assert Decimal(variation.changes.get().new_value) == Decimal("195000")
