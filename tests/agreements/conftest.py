import pytest

from almo_sla.celery import app


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process even when a broker is configured (the PostgreSQL CI run)."""
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old
