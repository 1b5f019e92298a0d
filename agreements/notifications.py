"""Emails about circulated versions: who gets them, and sending each one once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from agreements.models import AgreementVersion, Notification
from services.periods import add_working_days

Kind = Notification.Kind

SUBJECTS = {
    Kind.CIRCULATED: "{ref} {label} is out for comment until {deadline}",
    Kind.REMINDER: "Two working days left to comment on {ref} {label}",
    Kind.DEADLINE_PASSED: "Commenting on {ref} {label} has closed",
}


def reminder_date(version: AgreementVersion):
    return add_working_days(version.comment_deadline, -2)


def recipients(version: AgreementVersion, kind: str):
    """Department officers of the version's departments and both signatories; the coordinator too at the deadline.

    Reminders go only to those who have not commented.
    """
    agreement = version.agreement
    departments = {s["department_id"] for s in version.snapshot["schedules"]}
    who = Q(profile__department_id__in=departments) | Q(pk__in=[
        pk for pk in (agreement.council_signatory_id, agreement.almo_signatory_id) if pk
    ])
    if kind == Kind.DEADLINE_PASSED:
        who |= Q(pk=agreement.coordinator_id)
    users = get_user_model().objects.filter(who, is_active=True).exclude(email="").distinct().order_by("pk")
    if kind == Kind.REMINDER:
        users = users.exclude(pk__in=version.comments.values("author_id"))
    return users


def send(version_id: int, kind: str) -> int:
    """Send one kind of email about a version to everyone who should get it and has not yet. Returns how many."""
    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    agreement = version.agreement
    context = {
        "ref": agreement.reference,
        "label": version.label,
        "deadline": f"{version.comment_deadline:%-d %B %Y}" if version.comment_deadline else "",
    }
    sent = 0
    for user in recipients(version, kind):
        try:
            with transaction.atomic():
                Notification.objects.create(version=version, kind=kind, recipient=user)
                body = render_to_string(
                    "agreements/email/version_notification.txt",
                    {
                        "user": user, "version": version, "agreement": agreement, "kind": kind,
                        "url": settings.SITE_URL.rstrip("/") + reverse(
                            "agreements:version_detail", args=[agreement.pk, version.number]
                        ),
                        **context,
                    },
                )
                # A subject is one line whatever the data holds (no header injection, no BadHeaderError).
                subject = " ".join(SUBJECTS[kind].format(**context).split())
                send_mail(subject, body, None, [user.email])
        except IntegrityError:  # already sent to this person
            continue
        sent += 1
    return sent
