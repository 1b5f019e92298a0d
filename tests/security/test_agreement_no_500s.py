"""No 500s on agreement creation, and no header injection through a reference (issue 11, Low).

ASVS 5.0 V16.5.3 (the application fails gracefully and securely: a form error, never a server
error), V2.2.1 (input validated against an allow list) and V1.3.x / V1.2 (no injection into
e-mail headers). Before the fix: copying an agreement to start in 9999 overflowed the date
shift, two concurrent creates with one reference raised IntegrityError, and a CR/LF in the
reference made e-mails fail after the circulation had been committed.
"""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement
from almo_sla.celery import app
from tests.agreements.factories import draft_copy_of_main, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process even when a broker is configured (the PostgreSQL CI run)."""
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old


def create_data(demo_data, **changes):
    main = demo_data["main"]
    return {
        "copy_from": main.pk,
        "almo": main.almo_id,
        "title": "Copied",
        "reference": "SLA-COPY-9999",
        "start_date": "9999-04-01",
        "end_date": "",
        "notice_alignment": "any_date",
        "return_due_working_days": 15,
        "council_signatory": "",
        "almo_signatory": "",
    } | changes


def test_asvs_v16_5_3_copying_an_agreement_to_start_in_9999_is_a_form_error(client, demo_data, demo_user):
    client.raise_request_exception = True
    client.force_login(demo_user("coordinator"))
    response = client.post(reverse("agreements:agreement_create"), create_data(demo_data))
    assert response.status_code == 200
    assert "cannot move to the year" in response.content.decode()
    assert "start_date" in response.context["form"].errors
    assert not Agreement.objects.filter(reference="SLA-COPY-9999").exists()


def test_asvs_v16_5_3_a_reference_taken_between_validation_and_save_is_a_form_error(client, demo_data, demo_user):
    """Two concurrent creates: both pass the uniqueness check, the database refuses the second."""
    client.raise_request_exception = True
    client.force_login(demo_user("coordinator"))
    data = create_data(demo_data, reference="SLA-KNH-2025", start_date="2027-04-01", copy_from="")
    with mock.patch.object(Agreement, "validate_unique"):
        response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == ["An agreement with this reference already exists."]
    assert Agreement.objects.filter(reference="SLA-KNH-2025").count() == 1


def test_the_service_turns_the_integrity_error_into_a_validation_error(demo_data):
    main = demo_data["main"]
    with mock.patch.object(Agreement, "validate_unique"), pytest.raises(ValidationError) as error:
        services.agreement_create(
            user=user("coordinator"),
            council=main.council,
            almo=main.almo,
            title="Twin",
            reference=main.reference,
            start_date=dt.date(2027, 4, 1),
        )
    assert error.value.message_dict == {"reference": ["An agreement with this reference already exists."]}


@pytest.mark.parametrize(
    "reference", ["SLA-1\r\nBcc: victim@example.com", "SLA-2\nX", "SLA\x00", "SLA-\x1b[31m", "SLA\u2028X"]
)
def test_asvs_v2_2_1_control_characters_in_a_reference_are_refused(client_as, demo_data, reference):
    response = client_as("coordinator").post(
        reverse("agreements:agreement_create"),
        create_data(demo_data, reference=reference, start_date="2027-04-01", copy_from=""),
    )
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors
    assert not Agreement.objects.filter(title="Copied").exists()


def test_asvs_v1_3_e_mails_about_an_old_reference_with_a_line_break_still_go_out_on_one_subject_line(
    demo_data, django_capture_on_commit_callbacks, eager_tasks
):
    draft = draft_copy_of_main(demo_data)
    Agreement.objects.filter(pk=draft.pk).update(
        reference="SLA-OLD\r\nBcc: victim@example.com"
    )  # stored before the fix
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_circulate(
            agreement=draft, user=user("coordinator"), comment_deadline=timezone.localdate() + dt.timedelta(days=10)
        )
    assert mail.outbox, "the circulation e-mails were not sent"
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Bcc" not in message.message().get("Bcc", "")
