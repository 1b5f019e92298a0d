import os
import socket

from celery import shared_task

from services.models import Council


@shared_task(name="services.ping_worker")
def ping_worker() -> dict:
    """Report which process ran the task and what it sees in the database.

    Used by the health check and by the CI test that proves real workers run our tasks.
    """
    return {"pid": os.getpid(), "hostname": socket.gethostname(), "councils": Council.objects.count()}


# Notification tasks live beside ``notify`` (services/notifications.py); importing them here
# registers them with the worker's autodiscovery.
from services.notifications import (  # noqa: E402, F401
    send_notification,
    send_notification_digest,
    send_notification_digests,
    send_pending_notifications,
)
