"""The council's standard schedule for each service (issue 14): kept once by the council, used when
drafting any ALMO's agreement, and compared with each ALMO's schedule (a redline of departures).

Members asked for "the nature and quality of services codified, and standardised across the city";
the council's service providers found administering separate arrangements per ALMO costly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from agreements.models import Schedule, Standard, StandardTarget
from services.text import long_text


class ServiceTemplate(models.Model):
    """The council's standard terms for one service."""

    service = models.OneToOneField("services.Service", on_delete=models.CASCADE, related_name="council_template")
    expected_service_level = long_text()
    reporting_what = long_text("what is reported", blank=True)
    reporting_frequency = models.CharField(
        "how often it is reported",
        max_length=20,
        choices=Schedule.Frequency.choices,
        default=Schedule.Frequency.QUARTERLY,
    )
    reporting_to = models.CharField("reported to", max_length=250, blank=True)
    report_departures = models.BooleanField("departures from standard must be reported", default=True)
    notice_period_months = models.SmallIntegerField("notice period (months)")
    standards = models.JSONField(
        default=list,
        blank=True,
        help_text='A list of {"title", "kind" (measured/milestone), "unit", "direction", "amber_tolerance", '
        '"target", "deliverable"}.',
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service__department__name", "service__name"]
        verbose_name = "council template schedule"

    def __str__(self):
        return f"Council template: {self.service}"

    def clean(self):
        if self.notice_period_months is not None and not 0 <= self.notice_period_months <= 60:
            raise ValidationError({"notice_period_months": "The notice period must be between 0 and 60 months."})
        if not isinstance(self.standards, list) or any(
            not isinstance(s, dict) or not s.get("title") or s.get("kind") not in Standard.Kind.values
            for s in self.standards
        ):
            raise ValidationError({"standards": "Each standard needs a title and a kind (measured or milestone)."})


TERMS = [
    ("expected_service_level", "Expected service level"),
    ("reporting_what", "What is reported"),
    ("reporting_frequency", "How often it is reported"),
    ("reporting_to", "Reported to"),
    ("report_departures", "Departures must be reported"),
    ("notice_period_months", "Notice period (months)"),
]


# Who it is reported to names each ALMO's own officers and boards, so it is not a departure.
REDLINE_TERMS = [(name, label) for name, label in TERMS if name != "reporting_to"]


def template_for(service) -> ServiceTemplate | None:
    return ServiceTemplate.objects.filter(service=service).first()


def templates_for(service_ids) -> dict[int, ServiceTemplate]:
    return {t.service_id: t for t in ServiceTemplate.objects.filter(service_id__in=list(service_ids))}


def initial_from(template: ServiceTemplate | None) -> dict:
    """Initial values for a new schedule's form, from the council's template."""
    if template is None:
        return {}
    return {name: getattr(template, name) for name, _ in TERMS} | {"service": template.service_id}


def add_template_standards(*, schedule: Schedule, template: ServiceTemplate) -> int:
    """Give a new schedule the template's standards (targets from the agreement's first financial year)."""
    if schedule.standards.exists():
        return 0
    start = schedule.agreement.start_date
    first_april = dt.date(start.year if start.month >= 4 else start.year - 1, 4, 1)
    for position, spec in enumerate(template.standards):
        standard = Standard.objects.create(
            schedule=schedule,
            position=position,
            title=spec["title"],
            kind=spec["kind"],
            unit=spec.get("unit", ""),
            direction=spec.get("direction", ""),
            amber_tolerance=Decimal(str(spec.get("amber_tolerance") or 0)),
            deliverable=spec.get("deliverable", ""),
            due_date=dt.date.fromisoformat(spec["due_date"]) if spec.get("due_date") else None,
        )
        if spec["kind"] == Standard.Kind.MEASURED and spec.get("target") not in (None, ""):
            StandardTarget.objects.create(
                standard=standard, effective_from=first_april, value=Decimal(str(spec["target"]))
            )
    return len(template.standards)


def _show(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value) if value not in (None, "") else "blank"


def redline(*, schedule: Schedule, template: ServiceTemplate, on: dt.date | None = None) -> list[str]:
    """Where the schedule departs from the council's template, in words (empty: it follows the template)."""
    changes = []
    for name, label in REDLINE_TERMS:
        ours, theirs = getattr(schedule, name), getattr(template, name)
        if isinstance(ours, str) and isinstance(theirs, str):
            ours, theirs = ours.strip(), theirs.strip()
        if ours != theirs:
            if name in ("expected_service_level", "reporting_what", "reporting_to"):
                changes.append(f"{label} differs from the template")
            else:
                changes.append(f"{label}: {_show(ours)} (template {_show(theirs)})")
    on = on or schedule.agreement.start_date
    ours = {s.title: s for s in schedule.standards.all()}
    for spec in template.standards:
        standard = ours.pop(spec["title"], None)
        if standard is None:
            changes.append(f"Standard left out: {spec['title']}")
            continue
        if spec["kind"] == Standard.Kind.MEASURED and spec.get("target") not in (None, ""):
            target = standard.target_on(on)
            if target is None or target.value != Decimal(str(spec["target"])):
                shown = standard.format_value(target.value) if target else "none"
                changes.append(
                    f"{spec['title']}: target {shown} (template {standard.format_value(Decimal(str(spec['target'])))})"
                )
    changes.extend(f"Standard added: {title}" for title in ours)
    return changes
