import pytest

from almo_sla.celery import app


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def eager_celery():
    """Run tasks in-process for this test, whatever the broker setting (the worker test covers real workers)."""
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
