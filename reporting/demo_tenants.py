"""Demo data for tenants and the council (issue 14): a third ALMO with an active agreement, a tenant
scrutiny panel member, a council client officer, the panel's challenges, complaints through their
stages, published quarters, TSM tags and a commercially confidential cost. Idempotent.

Called from the demo seeding with the functions it already uses, so it does not depend on where
that module lives.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.council_templates import ServiceTemplate
from agreements.models import Agreement, Schedule, Standard
from reporting.complaints.models import Complaint, ComplaintStage
from reporting.demo import seed_returns_history
from reporting.public.models import PublishedQuarter
from reporting.public.selectors import unpublished_quarters
from reporting.scrutiny.models import Challenge
from reporting.scrutiny.services import response_due_for
from services.models import Almo, Profile
from services.periods import add_working_days

THIRD_ALMO = {"name": "Kirkby South Homes", "slug": "kirkby-south-homes", "homes_managed": 14200}
THIRD_REFERENCE = "SLA-KSH-2025"
PANEL_USER = ("panel.member", "Pat", "Okafor", Profile.Role.PANEL_MEMBER)
COUNCIL_USER = ("council.officer", "Cleo", "Client", Profile.Role.COUNCIL_OFFICER)
THIRD_DEPARTMENTS = ("Legal Services", "Finance", "Environmental Services", "Property Services", "Customer Services")
# Where the third ALMO's terms depart from the first's, to show in the council's comparison.
THIRD_NOTICE = {"removal-of-abandoned-vehicles": 6, "one-stop-shop-reception": 3}
TSM_TAGS = {
    "Homes with a valid gas safety certificate": "BS01",
    "Urgent repairs completed within time limits": "RP02",
    "Emergency repairs attended within 24 hours": "RP02",
    "Serious cases contacted within 1 working day": "NM01",
}
CONFIDENTIAL_SERVICE = "legal-advice-and-conveyancing"


@transaction.atomic
def seed_tenants(
    *, council, main: Agreement, services: list, seed_agreement, password: str, today: dt.date | None = None
):
    today = today or timezone.localdate()
    third_almo, _ = Almo.objects.update_or_create(
        slug=THIRD_ALMO["slug"],
        defaults={"council": council, "name": THIRD_ALMO["name"], "homes_managed": THIRD_ALMO["homes_managed"]},
    )
    users = _seed_users(council=council, almo=main.almo, password=password)
    third_coordinator = _user(
        "south.coordinator", "Sam", "Southgate", Profile.Role.COORDINATOR, password, almo=third_almo
    )
    chosen = [
        (
            service,
            (THIRD_NOTICE.get(service.slug, terms[0]), (terms[1] * Decimal("0.45")).quantize(Decimal("1")), *terms[2:]),
            standards,
        )
        for service, terms, standards in services
        if service.department.name in THIRD_DEPARTMENTS
    ]
    third = seed_agreement(
        reference=THIRD_REFERENCE,
        title="Strategic and support services 2025 to 2028",
        council=council,
        almo=third_almo,
        coordinator=third_coordinator,
        status=Agreement.Status.ACTIVE,
        start=dt.date(2025, 4, 1),
        end=dt.date(2028, 3, 31),
        services=chosen,
        notice_alignment=Agreement.NoticeAlignment.QUARTER_END,
    )
    seed_returns_history(third, today=today)
    _seed_templates(main=main)
    for title, code in TSM_TAGS.items():
        Standard.objects.filter(title=title).update(tsm_code=code)
    Schedule.objects.filter(agreement=main, service__slug=CONFIDENTIAL_SERVICE).update(commercially_confidential=True)
    _seed_challenges(main=main, panel=users["panel.member"], today=today)
    _seed_complaints(main=main, today=today)
    _seed_publications(almos=[main.almo, third_almo], by=main.coordinator)
    return third


def _user(username, first, last, role, password, *, almo=None, council=None):
    user, created = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first, last, f"{username}@example.gov.uk"
    if created or not user.has_usable_password():
        user.set_password(password)
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"role": role, "almo": almo, "council": council, "department": None}
    )
    return user


def _seed_users(*, council, almo, password):
    username, first, last, role = PANEL_USER
    panel = _user(username, first, last, role, password, almo=almo)
    username, first, last, role = COUNCIL_USER
    officer = _user(username, first, last, role, password, council=council)
    return {"panel.member": panel, "council.officer": officer}


def _seed_templates(*, main):
    """The council's standard schedule for each service, taken from the first ALMO's agreement."""
    for schedule in main.schedules.select_related("service").prefetch_related("standards__targets"):
        standards = []
        for st in schedule.standards.all():
            target = st.target_on(main.start_date)
            standards.append(
                {
                    "title": st.title,
                    "kind": st.kind,
                    "unit": st.unit,
                    "direction": st.direction,
                    "amber_tolerance": str(st.amber_tolerance),
                    "deliverable": st.deliverable,
                    "due_date": st.due_date.isoformat() if st.due_date else "",
                    "target": str(target.value) if target else "",
                }
            )
        ServiceTemplate.objects.update_or_create(
            service=schedule.service,
            defaults={
                "expected_service_level": schedule.expected_service_level,
                "reporting_what": schedule.reporting_what,
                "reporting_frequency": schedule.reporting_frequency,
                "reporting_to": "The ALMO's coordinator; quarterly summary to the Parent Board",
                "report_departures": schedule.report_departures,
                "notice_period_months": schedule.notice_period_months,
                "standards": standards,
            },
        )


def _seed_challenges(*, main, panel, today):
    if Challenge.objects.filter(almo=main.almo).exists():
        return
    schedules = {s.service.slug: s for s in main.schedules.select_related("service").prefetch_related("standards")}
    cars = schedules["removal-of-abandoned-vehicles"]
    urgent = Standard.objects.select_related("schedule").get(
        schedule__agreement=main, title="Urgent repairs completed within time limits"
    )
    repairs = urgent.schedule
    coordinator = main.coordinator

    def raised(days_ago):
        return add_working_days(today, -days_ago)

    def make(days_ago, **fields):
        on = raised(days_ago)
        return Challenge.objects.create(
            almo=main.almo, raised_by=panel, raised_on=on, response_due=response_due_for(on), **fields
        )

    make(
        3,
        schedule=cars,
        kind=Challenge.Kind.CHALLENGE,
        title="Cars left for days on the Moorside estate",
        body="Tenants on Moorside report abandoned cars left for three or four days, although the figures say "
        "they are removed within 24 hours. Which reports are counted, and from when?",
    )
    declined = make(
        30,
        schedule=repairs,
        standard=urgent,
        kind=Challenge.Kind.RECOMMENDATION,
        title="Publish urgent repair times by estate",
        body="Urgent repairs have been red two quarters running. Report the times by estate so the "
        "panel can see where the delays are.",
    )
    declined.status, declined.responded_by, declined.responded_on = Challenge.Status.DECLINED, coordinator, raised(15)
    declined.response = "The repairs system cannot split times by estate until the upgrade next year."
    declined.save()
    accepted = make(
        40,
        schedule=cars,
        kind=Challenge.Kind.RECOMMENDATION,
        title="Tell the reporting tenant when a car is removed",
        body="Send a text to the tenant who reported an abandoned car once it has been removed.",
    )
    accepted.status, accepted.responded_by, accepted.responded_on = Challenge.Status.ACCEPTED, coordinator, raised(25)
    accepted.response = "Agreed with Environmental Services."
    accepted.action, accepted.action_owner = (
        "Add text messages to the removal workflow",
        "Head of Environmental Services",
    )
    accepted.action_due = today + dt.timedelta(days=60)
    accepted.save()
    escalated = make(
        45,
        schedule=repairs,
        kind=Challenge.Kind.CHALLENGE,
        title="Missed repair appointments are not in the figures",
        body="Appointments the contractor misses are re-booked and the clock restarts.",
    )
    escalated.escalated_on, escalated.escalated_by = raised(20), panel
    escalated.escalation_reason = "No response after the due date."
    escalated.save()


def _seed_complaints(*, main, today):
    if Complaint.objects.filter(almo=main.almo).exists():
        return
    schedules = {s.service.slug: s for s in main.schedules.select_related("service")}
    cars = schedules["removal-of-abandoned-vehicles"]
    repairs = Standard.objects.get(
        schedule__agreement=main, title="Urgent repairs completed within time limits"
    ).schedule
    recorder = main.coordinator

    def complaint(schedule, days_ago, summary, source=Complaint.Source.TENANT):
        received = add_working_days(today, -days_ago)
        item = Complaint.objects.create(
            almo=main.almo,
            schedule=schedule,
            source=source,
            summary=summary,
            received_on=received,
            recorded_by=recorder,
        )
        return item, ComplaintStage.objects.create(complaint=item, number=1, opened_on=received)

    # answered at stage 1, in time
    _, stage = complaint(cars, 70, "A burnt-out car stayed outside the flats for a week.")
    stage.acknowledged_on = add_working_days(stage.opened_on, 2)
    stage.responded_on = add_working_days(stage.acknowledged_on, 8)
    stage.outcome, stage.response = Complaint.Outcome.UPHELD, "The report was logged against the wrong street."
    stage.remedy, stage.learning = "Apology and £50 for the inconvenience.", "Street gazetteer corrected."
    stage.save()
    # through stage 2
    item, stage = complaint(repairs, 60, "Urgent repair to a leaking roof took three weeks.")
    stage.acknowledged_on = add_working_days(stage.opened_on, 4)
    stage.responded_on = add_working_days(stage.acknowledged_on, 9)
    stage.outcome, stage.response = Complaint.Outcome.NOT_UPHELD, "The roof was made safe within 24 hours."
    stage.save()
    second = ComplaintStage.objects.create(
        complaint=item,
        number=2,
        opened_on=add_working_days(stage.responded_on, 3),
        escalation_reason="The tenant says the roof still leaked after it was 'made safe'.",
    )
    second.acknowledged_on = add_working_days(second.opened_on, 3)
    second.responded_on = add_working_days(second.acknowledged_on, 18)
    second.outcome, second.response = Complaint.Outcome.PARTLY, "The temporary repair failed after two days."
    second.remedy, second.learning = (
        "£150 and a full roof inspection.",
        "Temporary repairs now re-inspected within 5 days.",
    )
    second.save()
    # open: acknowledgement overdue
    complaint(cars, 8, "Nobody came to remove the car reported on Beech Road.")
    # open: acknowledged, response not yet due
    _, stage = complaint(
        repairs, 4, "The council's contractor left rubble in the garden.", source=Complaint.Source.ALMO
    )
    stage.acknowledged_on = add_working_days(stage.opened_on, 1)
    stage.save()


def _seed_publications(*, almos, by):
    """Publish every quarter ready to publish except the latest, which is left for the coordinator to publish."""
    for almo in almos:
        if PublishedQuarter.objects.filter(almo=almo).exists():
            continue
        ready = [p for p in unpublished_quarters(almo=almo) if p.ready]
        for item in ready[1:]:
            PublishedQuarter.objects.create(
                almo=almo, financial_year=item.quarter.year, quarter=item.quarter.number, published_by=by
            )
