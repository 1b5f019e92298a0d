import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements.models import Standard
from services.models import Profile
from tests.factories import (
    AgreementFactory,
    AlmoFactory,
    ScheduleFactory,
    StandardFactory,
    StandardTargetFactory,
)

pytestmark = pytest.mark.django_db


def errors_of(obj):
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def test_end_date_must_follow_start_date():
    agreement = AgreementFactory.build(start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 3, 31))
    agreement.almo.council.save()
    agreement.almo.save()
    agreement.council = agreement.almo.council
    agreement.coordinator.save()
    assert errors_of(agreement)["end_date"] == ["The end date must be after the start date."]


def test_almo_must_belong_to_the_agreements_council():
    agreement = AgreementFactory()
    agreement.almo = AlmoFactory()  # an ALMO of another council
    assert "is not an ALMO of" in errors_of(agreement)["almo"][0]


def test_a_council_may_have_three_almos_each_with_its_own_agreement():
    first = AgreementFactory()
    council = first.council
    others = [AgreementFactory(almo=AlmoFactory(council=council)) for _ in range(2)]
    assert council.almos.count() == 3
    assert {a.almo_id for a in [first, *others]} == set(council.almos.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("notice_period_months", -1, "The notice period cannot be negative."),
        ("annual_cost", Decimal("-0.01"), "The annual cost cannot be negative."),
        ("staff_time_share", Decimal("120"), "The share of staff time must be between 0% and 100%."),
    ],
)
def test_schedule_rejects_impossible_terms(field, value, message):
    schedule = ScheduleFactory()
    setattr(schedule, field, value)
    assert message in errors_of(schedule)[field]


def test_one_schedule_per_service_per_agreement():
    schedule = ScheduleFactory()
    duplicate = ScheduleFactory.build(agreement=schedule.agreement, service=schedule.service)
    assert "already has a schedule" in errors_of(duplicate)["service"][0]


def test_measured_standard_needs_unit_and_direction():
    standard = StandardFactory(unit="", direction="")
    messages = errors_of(standard)
    assert messages["unit"] == ["Choose the unit the standard is measured in."]
    assert messages["direction"] == ["Say whether a higher or a lower figure is better."]


def test_milestone_needs_deliverable_and_due_date():
    standard = StandardFactory(kind=Standard.Kind.MILESTONE, unit="", direction="")
    messages = errors_of(standard)
    assert set(messages) == {"deliverable", "due_date"}


@pytest.mark.parametrize(
    "unit, value, ok",
    [
        ("percent", Decimal("100"), True),
        ("percent", Decimal("100.5"), False),
        ("hours", Decimal("24"), True),
        ("working_days", Decimal("261"), False),
        ("count", Decimal("-1"), False),
        ("gbp", Decimal("1000000"), True),
    ],
)
def test_target_must_be_in_range_for_its_unit(unit, value, ok):
    target = StandardTargetFactory.build(standard=StandardFactory(unit=unit), value=value)
    if ok:
        target.full_clean()
    else:
        errors_of(target)


def test_a_milestone_takes_no_target():
    milestone = StandardFactory(kind=Standard.Kind.MILESTONE, deliverable="Strategy", due_date=dt.date(2025, 9, 30))
    target = StandardTargetFactory.build(standard=milestone)
    assert "A milestone has a due date, not a target." in errors_of(target)["__all__"]


def test_changed_target_applies_from_its_effective_date_and_past_quarters_keep_theirs():
    standard = StandardFactory()
    StandardTargetFactory(standard=standard, effective_from=dt.date(2025, 4, 1), value=Decimal("85"))
    StandardTargetFactory(standard=standard, effective_from=dt.date(2026, 4, 1), value=Decimal("90"))
    StandardTargetFactory(standard=standard, effective_from=dt.date(2027, 4, 1), value=Decimal("96"))
    assert standard.target_on(dt.date(2025, 3, 31)) is None
    assert standard.target_on(dt.date(2025, 9, 30)).value == Decimal("85")
    assert standard.target_on(dt.date(2026, 3, 31)).value == Decimal("85")
    assert standard.target_on(dt.date(2026, 4, 1)).value == Decimal("90")
    assert standard.target_on(dt.date(2030, 1, 1)).value == Decimal("96")


def test_format_value_uses_the_unit():
    assert StandardFactory.build(unit="percent").format_value(Decimal("96.50")) == "96.5%"
    assert StandardFactory.build(unit="hours").format_value(Decimal("24")) == "24 hours"
    assert StandardFactory.build(unit="gbp").format_value(Decimal("1500")) == "£1,500.00"


@pytest.mark.parametrize(
    "role, with_almo, with_department, bad_field",
    [
        (Profile.Role.COORDINATOR, False, False, "almo"),
        (Profile.Role.BOARD_MEMBER, False, False, "almo"),
        (Profile.Role.DEPARTMENT_OFFICER, False, False, "department"),
        (Profile.Role.DEPARTMENT_OFFICER, True, True, "almo"),
    ],
)
def test_profile_needs_the_organisation_its_role_implies(role, with_almo, with_department, bad_field):
    from tests.factories import DepartmentFactory, UserFactory

    profile = Profile(
        user=UserFactory(),
        role=role,
        almo=AlmoFactory() if with_almo else None,
        department=DepartmentFactory() if with_department else None,
    )
    assert bad_field in errors_of(profile)
