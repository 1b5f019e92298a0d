import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from agreements.models import Agreement, Schedule, Standard, StandardTarget
from services.models import Almo, Council, Department, Profile, Service


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")


class AlmoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Almo

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"ALMO {n}")
    slug = factory.Sequence(lambda n: f"almo-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    hra_funded = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    role = Profile.Role.COORDINATOR


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    almo = factory.SubFactory(AlmoFactory)
    council = factory.SelfAttribute("almo.council")
    title = factory.Sequence(lambda n: f"Agreement {n}")
    reference = factory.Sequence(lambda n: f"SLA-T-{n:04d}")
    start_date = dt.date(2025, 4, 1)
    end_date = dt.date(2028, 3, 31)
    coordinator = factory.SubFactory(UserFactory)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    agreement = factory.SubFactory(AgreementFactory)
    service = factory.SubFactory(ServiceFactory, department__council=factory.SelfAttribute("...agreement.council"))
    expected_service_level = "A good service."
    notice_period_months = 3
    annual_cost = Decimal("10000")


class StandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Standard

    schedule = factory.SubFactory(ScheduleFactory)
    title = factory.Sequence(lambda n: f"Standard {n}")
    kind = Standard.Kind.MEASURED
    unit = Standard.Unit.PERCENT
    direction = Standard.Direction.HIGHER
    amber_tolerance = Decimal("5")


class StandardTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardTarget

    standard = factory.SubFactory(StandardFactory)
    effective_from = dt.date(2025, 4, 1)
    value = Decimal("90")
