"""seed_demo --scale N: a council N times the demo, with the demo's returns history."""

import pytest
from django.core.management import call_command

from agreements.models import Agreement, Standard
from reporting.demo.data import DEPARTMENTS
from reporting.demo.scale import seed_scale
from reporting.models import QuarterlyReturn
from services.models import Department

pytestmark = pytest.mark.django_db


def test_scale_two_doubles_the_demo_with_returns_history_and_is_idempotent(demo_data):
    call_command("seed_demo", scale=2, stdout=open("/dev/null", "w"))
    agreement = Agreement.objects.get(reference="SLA-SCALE-2")
    main = demo_data["main"]
    assert Department.objects.filter(council=agreement.council).count() == 2 * len(DEPARTMENTS)
    assert agreement.schedules.count() == 2 * main.schedules.count()
    assert (
        Standard.objects.filter(schedule__agreement=agreement).count()
        == 2 * Standard.objects.filter(schedule__agreement=main).count()
    )
    assert (
        QuarterlyReturn.objects.filter(agreement=agreement).count()
        == 2 * QuarterlyReturn.objects.filter(agreement=main).count()
    )
    assert seed_scale(2).returns == 0  # a second run adds nothing


def test_scale_one_is_the_normal_demo(demo_data):
    before = Agreement.objects.count()
    call_command("seed_demo", scale=1, stdout=open("/dev/null", "w"))
    assert Agreement.objects.count() == before
    with pytest.raises(ValueError):
        seed_scale(1)
