"""One helper to send a notification e-mail, whichever backend is configured."""

from django.core.mail import EmailMessage

from outbox.backends import KIND_HEADER, REFERENCE_HEADER


def send_notification(*, kind: str, subject: str, body: str, recipients: list[str], reference: str) -> int:
    """Send a notification e-mail through the configured backend.

    ``kind`` picks the Notify template; ``reference`` (unique for this notification) keeps
    Notify from sending it twice. Console and SMTP backends send it as an ordinary e-mail.
    """
    message = EmailMessage(
        subject=subject, body=body, to=list(recipients), headers={KIND_HEADER: kind, REFERENCE_HEADER: reference}
    )
    return message.send()
