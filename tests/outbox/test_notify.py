"""E-mail through GOV.UK Notify, against a local stand-in of Notify's send-email endpoint.

The stand-in (http.server in a thread, on a free loopback port) checks the request as Notify
does: a Bearer JWT signed HS256 with the API key's secret, ``iss`` the service id, ``iat``
within 30 seconds; the JSON body's e-mail address, template and personalisation.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from django.core import mail
from django.core.mail import send_mail

from agreements import notifications
from almo_sla.celery import app as celery_app
from outbox import delivery
from outbox.models import OutboundEmail
from outbox.send import send_notification

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"almo_sla_test-{SERVICE_ID}-{SECRET}"
TEMPLATES = {
    "generic": str(uuid.uuid4()),
    "version_circulated": str(uuid.uuid4()),
    "comment_reminder": "",
    "comment_deadline_passed": "",
    "return_due": str(uuid.uuid4()),
    "return_overdue": "",
}


class NotifyStandIn(BaseHTTPRequestHandler):
    server_version = "NotifyStandIn"

    def log_message(self, *args):
        pass

    def _answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        state = self.server.state
        if self.path != "/v2/notifications/email":
            return self._answer(404, {"errors": [{"error": "NotFound"}]})
        auth = self.headers.get("Authorization", "")
        try:
            token = auth.removeprefix("Bearer ")
            if jwt.get_unverified_header(token).get("alg") != "HS256":
                raise jwt.InvalidTokenError("alg")
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
            if claims["iss"] != SERVICE_ID or abs(time.time() - claims["iat"]) > 30:
                raise jwt.InvalidTokenError("iss/iat")
        except jwt.InvalidTokenError as exc:
            state["refused_tokens"] += 1
            return self._answer(403, {"errors": [{"error": "AuthError", "message": f"Invalid token: {exc}"}]})
        data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if not {"email_address", "template_id"} <= data.keys() or "@" not in data["email_address"]:
            return self._answer(400, {"errors": [{"error": "BadRequestError", "message": "email_address"}]})
        if state["fail_next"] > 0:
            state["fail_next"] -= 1
            return self._answer(500, {"errors": [{"error": "Exception", "message": "Internal server error"}]})
        state["received"].append(data)
        return self._answer(
            201,
            {
                "id": str(uuid.uuid4()),
                "reference": data.get("reference"),
                "content": {"subject": data.get("personalisation", {}).get("subject")},
                "template": {"id": data["template_id"], "version": 1},
            },
        )


@pytest.fixture
def notify(settings):
    """A loopback GOV.UK Notify; the send task runs in-process on both CI runs (its retries included)."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyStandIn)
    server.state = {"received": [], "fail_next": 0, "refused_tokens": 0}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NOTIFY_TEMPLATES = TEMPLATES
    settings.NOTIFY_RETRY_DELAY = 0
    settings.NOTIFY_MAX_RETRIES = 3
    settings.EMAIL_BACKEND = "outbox.backends.NotifyEmailBackend"
    yield server.state
    celery_app.conf.task_always_eager = saved
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_notification_goes_to_notify_with_its_kinds_template(notify):
    send_notification(
        kind="version_circulated",
        subject="SLA out for comment",
        body="Please comment by Friday.",
        recipients=["a@example.gov.uk", "b@example.gov.uk"],
        reference="version-1-circulated",
    )
    assert [r["email_address"] for r in notify["received"]] == ["a@example.gov.uk", "b@example.gov.uk"]
    first = notify["received"][0]
    assert first["template_id"] == TEMPLATES["version_circulated"]
    assert first["personalisation"] == {"subject": "SLA out for comment", "body": "Please comment by Friday."}
    assert first["reference"] == "version-1-circulated:a@example.gov.uk"
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert all(e.notify_id for e in OutboundEmail.objects.all())
    assert not mail.outbox  # nothing through the ordinary backends


@pytest.mark.django_db(transaction=True)
def test_kinds_without_a_template_and_plain_send_mail_use_the_generic_template(notify):
    send_notification(kind="comment_reminder", subject="s", body="b", recipients=["c@example.gov.uk"], reference="r1")
    send_mail("Password reset", "Follow the link", None, ["d@example.gov.uk"])
    assert [r["template_id"] for r in notify["received"]] == [TEMPLATES["generic"]] * 2


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_never_sent_twice(notify):
    for _ in range(3):
        send_notification(
            kind="return_due", subject="Due", body="b", recipients=["e@example.gov.uk"], reference="ret-9"
        )
    assert len(notify["received"]) == 1
    email = OutboundEmail.objects.get()
    # A task delivered again (redelivery after a lost acknowledgement) sends nothing more.
    assert delivery.send_once(email.pk) == "sent"
    assert len(notify["received"]) == 1 and OutboundEmail.objects.get().attempts == 1


@pytest.mark.django_db(transaction=True)
def test_failures_are_retried_by_celery_and_recorded(notify):
    notify["fail_next"] = 2
    send_notification(kind="return_due", subject="Due", body="b", recipients=["f@example.gov.uk"], reference="ret-10")
    email = OutboundEmail.objects.get()
    assert email.status == "sent" and email.attempts == 3
    assert email.last_error.startswith("500")
    assert len(notify["received"]) == 1


@pytest.mark.django_db(transaction=True)
def test_retries_exhausted_is_recorded_as_failed(notify):
    notify["fail_next"] = 10
    send_notification(kind="return_due", subject="Due", body="b", recipients=["g@example.gov.uk"], reference="ret-11")
    email = OutboundEmail.objects.get()
    assert email.status == "failed" and email.attempts == 4 and "500" in email.last_error
    assert not notify["received"]


@pytest.mark.django_db(transaction=True)
def test_a_wrong_key_is_refused_by_notify_and_not_retried(notify, settings):
    settings.NOTIFY_API_KEY = f"almo_sla_test-{SERVICE_ID}-{uuid.uuid4()}"
    send_notification(kind="return_due", subject="Due", body="b", recipients=["h@example.gov.uk"], reference="ret-12")
    email = OutboundEmail.objects.get()
    assert notify["refused_tokens"] == 1
    assert email.status == "failed" and email.attempts == 1 and email.last_error.startswith("403")


@pytest.mark.django_db(transaction=True)
def test_workflow_emails_go_through_notify_once_each(notify, demo_data):
    """The notification framework (services.notifications) sends through the Notify backend, each
    person once; telling again sends nothing more."""
    version = demo_data["east"].versions.get(number=1)
    told = notifications.circulated(version=version)
    assert told and len(notify["received"]) == told
    assert {r["template_id"] for r in notify["received"]} <= set(TEMPLATES.values())
    assert notifications.circulated(version=version) == 0
    assert len(notify["received"]) == told


def _forget_connections(app):
    """Drop the app's cached broker pool, producer and result backend so a changed broker URL is used."""
    app._pool = None
    app.__dict__.pop("amqp", None)
    app._backend_cache = None
    app._local = threading.local()


@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_retries_after_notify_fails(notify, settings):
    """Eager mode off, an in-memory broker and a real worker thread: Celery's own retry with countdown."""
    from celery.contrib.testing.worker import start_worker

    from almo_sla.celery import app

    notify["fail_next"] = 1
    settings.NOTIFY_RETRY_DELAY = 1
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
    app.conf.update(task_always_eager=False, broker_url="memory://", result_backend="cache+memory://")
    _forget_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            send_notification(
                kind="return_due", subject="Due", body="b", recipients=["w@example.gov.uk"], reference="ret-worker"
            )
            deadline = time.monotonic() + 30
            while OutboundEmail.objects.get().status != "sent" and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.update(saved)
        _forget_connections(app)
    email = OutboundEmail.objects.get()
    assert email.status == "sent" and email.attempts == 2 and email.next_attempt_at is not None, (
        email.status,
        email.attempts,
        email.last_error,
        notify,
    )
    assert len(notify["received"]) == 1


@pytest.mark.django_db(transaction=True)
def test_beat_requeues_e_mails_whose_task_never_reached_the_broker(notify):
    import datetime as dt

    from django.utils import timezone

    from outbox.tasks import requeue_stranded

    stranded = OutboundEmail.objects.create(
        reference="lost:1",
        kind="generic",
        template_id=TEMPLATES["generic"],
        recipient="lost@example.gov.uk",
        subject="s",
        body="b",
    )
    OutboundEmail.objects.filter(pk=stranded.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    fresh = OutboundEmail.objects.create(
        reference="new:1",
        kind="generic",
        template_id=TEMPLATES["generic"],
        recipient="new@example.gov.uk",
        subject="s",
        body="b",
    )
    assert requeue_stranded() == 1
    assert [r["email_address"] for r in notify["received"]] == ["lost@example.gov.uk"]
    assert OutboundEmail.objects.get(pk=fresh.pk).status == "queued"
