import pytest

from almo_sla.celery import app
from reporting import services
from reporting.models import QuarterlyReturn


def current_return(demo, department_name) -> QuarterlyReturn:
    """The department's return for the quarter in progress (a draft), with its result rows."""
    ret = (
        QuarterlyReturn.objects.filter(agreement=demo["main"], department__name=department_name, status="draft")
        .order_by("-financial_year", "-quarter")
        .first()
    )
    services.return_results_ensure(quarterly_return=ret)
    return ret


@pytest.fixture
def env_return(demo_data):
    return current_return(demo_data, "Environmental Services")


@pytest.fixture
def repairs_return(demo_data):
    return current_return(demo_data, "Property Services")


def fill(ret, *, miss: str | None = None):
    """Give every measured result a figure on target (and ``miss`` one a red figure); returns the results."""
    from reporting.models import rag_for

    results = list(ret.results.select_related("standard"))
    for r in results:
        s = r.standard
        if s.kind == "milestone":
            r.milestone_outcome = "met"
            r.delivered_on = s.due_date
            continue
        target = r.target_value
        r.actual = target
        if s.title == miss:
            step = s.amber_tolerance * 3 + 1
            r.actual = target + step if s.direction == "lower" else max(target - step, 0)
        r.rag = rag_for(s, r.target_value, r.actual, r.milestone_outcome, r.delivered_on)
    return results


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
