"""Frozen snapshots of an agreement (JSON) and the redline between two of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from agreements.models import Agreement, Schedule, ScheduleYearCost, Standard, StandardTarget

AGREEMENT_FIELDS = {
    "title": "Title",
    "start_date": "Start date",
    "end_date": "End date",
    "notice_alignment": "Notice takes effect on",
    "renewal_term_months": "Renewal term (months)",
    "max_renewals": "Renewals allowed",
    "return_due_working_days": "Returns due (working days after quarter end)",
}
# Names of the signatories, frozen with the version (snapshots made before this have none).
SIGNATORY_FIELDS = {
    "council_signatory": "Council signatory",
    "almo_signatory": "ALMO signatory",
}
SCHEDULE_FIELDS = {
    "expected_service_level": "Expected service level",
    "reporting_what": "What is reported",
    "reporting_frequency": "How often it is reported",
    "reporting_to": "Reported to",
    "report_departures": "Departures from standard must be reported",
    "notice_period_months": "Notice period",
    "annual_cost": "Annual cost",
    "cost_basis": "How the cost is apportioned",
    "staff_time_share": "Share of staff time (%)",
    "legal_notes": "Legal and contract notes",
    "starts_on": "Added by a variation from",
    "ends_on": "Removed by a variation after",
    "commercially_confidential": "Cost commercially confidential",
}
STANDARD_FIELDS = {
    "kind": "Kind",
    "unit": "Unit",
    "direction": "Direction",
    "amber_tolerance": "Amber tolerance",
    "deliverable": "Milestone",
    "due_date": "Due",
    "targets": "Targets",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def agreement_snapshot(agreement: Agreement) -> dict:
    """The agreement with its schedules, standards, targets and yearly costs, as plain JSON."""
    schedules = (
        Schedule.objects.filter(agreement=agreement)
        .select_related("service", "service__department")
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=Standard.objects.prefetch_related(
                    Prefetch("targets", queryset=StandardTarget.objects.order_by("effective_from"))
                ).order_by("position", "pk"),
            ),
            Prefetch("year_costs", queryset=ScheduleYearCost.objects.order_by("financial_year")),
        )
        .order_by("service__department__name", "service__name")
    )
    return {
        "agreement": {
            "reference": agreement.reference,
            **{name: _text(getattr(agreement, name)) for name in AGREEMENT_FIELDS},
            **{name: _person(getattr(agreement, name)) for name in SIGNATORY_FIELDS},
        },
        "schedules": [
            {
                "service_id": s.service_id,
                "service": s.service.name,
                "department_id": s.service.department_id,
                "department": s.service.department.name,
                "hra_funded": s.service.hra_funded,
                **{name: _text(getattr(s, name)) for name in SCHEDULE_FIELDS},
                "standards": [
                    {
                        "title": st.title,
                        "kind": st.kind,
                        "unit": st.unit,
                        "direction": st.direction,
                        "amber_tolerance": _text(st.amber_tolerance) if st.kind == Standard.Kind.MEASURED else "",
                        "deliverable": st.deliverable,
                        "due_date": _text(st.due_date),
                        "targets": "; ".join(
                            f"{st.format_value(t.value)} from {t.effective_from:%-d %B %Y}" for t in st.targets.all()
                        ),
                    }
                    for st in s.standards.all()
                ],
                "year_costs": [
                    {"financial_year": c.financial_year, "amount": _text(c.amount), "note": c.note}
                    for c in s.year_costs.all()
                ],
            }
            for s in schedules
        ],
    }


def snapshot_for_department(snapshot: dict, department_id: int | None) -> dict:
    """Only the schedules of one department (what a department officer sees)."""
    return {**snapshot, "schedules": [s for s in snapshot["schedules"] if s["department_id"] == department_id]}


def snapshot_total_cost(snapshot: dict) -> Decimal:
    return sum((Decimal(s["annual_cost"] or "0") for s in snapshot["schedules"]), Decimal("0"))


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class StandardDiff:
    title: str
    state: str  # added, removed, changed
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ScheduleDiff:
    service: str
    department: str
    state: str  # added, removed, changed
    changes: list[FieldChange] = field(default_factory=list)
    standards: list[StandardDiff] = field(default_factory=list)
    old_cost: Decimal = Decimal("0")
    new_cost: Decimal = Decimal("0")
    old_notice: str = ""
    new_notice: str = ""


@dataclass
class Redline:
    agreement_changes: list[FieldChange]
    schedules: list[ScheduleDiff]
    old_total: Decimal
    new_total: Decimal

    @property
    def cost_change(self) -> Decimal:
        return self.new_total - self.old_total

    @property
    def notice_changes(self) -> list[ScheduleDiff]:
        return [s for s in self.schedules if s.old_notice != s.new_notice]

    @property
    def is_empty(self) -> bool:
        return not self.agreement_changes and not self.schedules


_CHOICE_LABELS = {
    "notice_alignment": dict(Agreement.NoticeAlignment.choices),
    "reporting_frequency": dict(Schedule.Frequency.choices),
}


def _show(name: str, value) -> str:
    text = "" if value is None else str(value)
    if text and name in _CHOICE_LABELS:
        return str(_CHOICE_LABELS[name].get(text, text))
    if text and name == "annual_cost":
        return f"£{Decimal(text):,.2f}"
    if text and name in ("starts_on", "ends_on"):
        return f"{dt.date.fromisoformat(text):%-d %B %Y}"
    if text and name == "notice_period_months":
        return f"{text} month{'' if text == '1' else 's'}"
    return text


def _field_changes(old: dict, new: dict, labels: dict) -> list[FieldChange]:
    return [
        FieldChange(label, _show(name, old.get(name, "")), _show(name, new.get(name, "")))
        for name, label in labels.items()
        if str(old.get(name, "")) != str(new.get(name, ""))
    ]


def _standards_diff(old: list[dict], new: list[dict]) -> list[StandardDiff]:
    before = {s["title"]: s for s in old}
    after = {s["title"]: s for s in new}
    diffs = []
    for title, standard in after.items():
        if title not in before:
            diffs.append(StandardDiff(title, "added", _field_changes({}, standard, STANDARD_FIELDS)))
        elif changes := _field_changes(before[title], standard, STANDARD_FIELDS):
            diffs.append(StandardDiff(title, "changed", changes))
    for title, standard in before.items():
        if title not in after:
            diffs.append(StandardDiff(title, "removed", _field_changes(standard, {}, STANDARD_FIELDS)))
    return diffs


def redline(old: dict, new: dict) -> Redline:
    """What changed from snapshot ``old`` to ``new``, per schedule and field."""
    before = {s["service_id"]: s for s in old["schedules"]}
    after = {s["service_id"]: s for s in new["schedules"]}
    diffs = []
    for service_id in sorted(
        before.keys() | after.keys(),
        key=lambda k: ((after.get(k) or before[k])["department"], (after.get(k) or before[k])["service"]),
    ):
        o, n = before.get(service_id), after.get(service_id)
        ref = n or o
        diff = ScheduleDiff(
            service=ref["service"],
            department=ref["department"],
            state="added" if o is None else "removed" if n is None else "changed",
            old_cost=Decimal(o["annual_cost"]) if o else Decimal("0"),
            new_cost=Decimal(n["annual_cost"]) if n else Decimal("0"),
            old_notice=o["notice_period_months"] if o else "",
            new_notice=n["notice_period_months"] if n else "",
        )
        diff.changes = _field_changes(o or {}, n or {}, SCHEDULE_FIELDS)
        diff.standards = _standards_diff((o or {}).get("standards", []), (n or {}).get("standards", []))
        if diff.state != "changed" or diff.changes or diff.standards:
            diffs.append(diff)
    return Redline(
        agreement_changes=_field_changes(old["agreement"], new["agreement"], AGREEMENT_FIELDS)
        + _field_changes(
            old["agreement"],
            new["agreement"],
            {k: v for k, v in SIGNATORY_FIELDS.items() if k in old["agreement"] and k in new["agreement"]},
        ),
        schedules=diffs,
        old_total=snapshot_total_cost(old),
        new_total=snapshot_total_cost(new),
    )


def snapshot_terms(snapshot: dict) -> list[tuple[str, str]]:
    """The agreement-wide terms of a snapshot in words, for the version PDF: term, renewals, the
    notice rule and the return deadline."""
    a = snapshot["agreement"]

    def day(text):
        try:
            return f"{dt.date.fromisoformat(text):%-d %B %Y}"
        except (TypeError, ValueError):
            return text or ""

    term = f"From {day(a.get('start_date'))}"
    term += f" to {day(a['end_date'])}." if a.get("end_date") else ", with no end date."
    months = a.get("renewal_term_months")
    if not months:
        renewals = "The agreement does not renew."
    else:
        count = a.get("max_renewals")
        limit = f"at most {count} time{'s' if count != '1' else ''}" if count else "without limit"
        renewals = f"After the end date it renews for terms of {months} months, {limit}."
    alignment = a.get("notice_alignment") or "any_date"
    notice = "The ALMO stops buying a service by giving that service's notice period (shown with each service). "
    if alignment == "any_date":
        notice += "Notice takes effect on the day the notice period ends."
    else:
        when = _show("notice_alignment", alignment).lower()
        notice += f"Notice takes effect at {when} after the notice period has run."
    due = a.get("return_due_working_days")
    returns = (
        f"Each department's quarterly return is due {due} working days after the quarter ends "
        "(weekends and England and Wales bank holidays excluded)."
        if due
        else ""
    )
    return [
        (label, text)
        for label, text in [("Term", term), ("Renewals", renewals), ("Notice", notice), ("Quarterly returns", returns)]
        if text
    ]
