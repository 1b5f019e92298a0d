"""A Django e-mail backend that sends through GOV.UK Notify (used when NOTIFY_API_KEY is set).

Notify sends one recipient per call from a template: each message becomes one queued
``OutboundEmail`` per recipient (to, cc and bcc), with the template of its kind
(``X-Notification-Kind`` header, set by ``outbox.send_notification``) or the generic one,
and the subject and body as the template's ``((subject))`` and ``((body))``.
"""

import uuid

from django.core.mail.backends.base import BaseEmailBackend

from outbox.delivery import GENERIC, queue_email

KIND_HEADER = "X-Notification-Kind"
REFERENCE_HEADER = "X-Notification-Reference"


class NotifyEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        count = 0
        for message in email_messages:
            headers = message.extra_headers or {}
            reference = headers.get(REFERENCE_HEADER) or headers.get("Message-ID") or f"message-{uuid.uuid4()}"
            body = message.body
            queued = queue_email(
                kind=headers.get(KIND_HEADER) or GENERIC,
                subject=str(message.subject),
                body=body,
                recipients=[*message.to, *message.cc, *message.bcc],
                reference=reference,
            )
            count += bool(queued)
        return count
