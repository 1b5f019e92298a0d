"""Putting tasks on the queue without letting a broker outage break a request.

``enqueue`` publishes a task and returns whether it worked: when the broker is down it
logs the failure and returns False after a bounded, quick retry (the limits are in the
``CELERY_*`` settings), so the caller can keep the work recorded and tell the user.
Whatever the task was for must already be saved: a beat job picks it up again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """``task.delay(*args, **kwargs)``; False (logged) if the broker could not take it."""
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - kombu, redis and socket errors all mean "not queued"
        if getattr(task.app.conf, "task_always_eager", False):
            raise  # eager: the task itself failed, which is not a broker outage
        logger.error("Task queue unavailable: %s%r not queued: %s", task.name, args, exc)
        return False
    return True


def enqueue_on_commit(task, *args, on_failure: Callable[[], None] | None = None, **kwargs) -> None:
    """Queue the task once the transaction commits; call ``on_failure`` if the broker is down."""

    def publish():
        if not enqueue(task, *args, **kwargs) and on_failure is not None:
            on_failure()

    transaction.on_commit(publish)
