"""Service level agreements between a council and one of its ALMOs.

An agreement has one schedule per service; a schedule holds the expected service level,
its standards, reporting arrangements, notice period and annual cost. A standard is
either measured against a target (which may change from an effective date) or a
milestone with a due date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.notices import add_months, term_in_force
from services.models import Almo, Council, Service
from services.periods import financial_year_label
from services.signing import may_sign_for_almo, may_sign_for_council
from services.text import long_text

# Letters, digits, spaces and - _ . / ( ): a reference goes into e-mail subjects, file names and
# exports, so line breaks and other control characters are refused (ASVS 5.0 V1.2, V2.2).
validate_reference = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9 ._/()-]*\Z",
    "Use only letters, numbers, spaces and - _ . / ( ) in the reference, starting with a letter or number.",
    code="invalid_reference",
)


class AgreementQuerySet(models.QuerySet):
    def live(self):
        """Agreements that bind both parties: agreed (not yet started) or active."""
        return self.filter(status__in=Agreement.LIVE_STATUSES)


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OUT_FOR_COMMENT = "out_for_comment", "Out for comment"
        AWAITING_SIGNATURE = "awaiting_signature", "Awaiting sign-off"
        AGREED = "agreed", "Agreed"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    # The one home of the status sets: live agreements bind both parties (their costs count,
    # notice can be served, variations proposed); only drafts are edited.
    LIVE_STATUSES = (Status.AGREED, Status.ACTIVE)
    EDITABLE_STATUSES = (Status.DRAFT,)
    IN_DRAFTING_STATUSES = (Status.DRAFT, Status.OUT_FOR_COMMENT, Status.AWAITING_SIGNATURE)
    # A board pack reports on an agreement that has been in force: live or ended.
    REPORTABLE_STATUSES = (Status.AGREED, Status.ACTIVE, Status.ENDED)

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="agreements")
    almo = models.ForeignKey(Almo, on_delete=models.PROTECT, related_name="agreements", verbose_name="ALMO")
    title = models.CharField(max_length=250)
    reference = models.CharField(
        max_length=40,
        unique=True,
        validators=[validate_reference],
        help_text="For example SLA-2025-01.",
        error_messages={"unique": "An agreement with this reference already exists."},
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave blank for an open-ended agreement.")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_agreements",
        verbose_name="coordinating officer",
    )

    class NoticeAlignment(models.TextChoices):
        ANY_DATE = "any_date", "Any date"
        MONTH_END = "month_end", "The end of a month"
        QUARTER_END = "quarter_end", "The end of a quarter"
        FINANCIAL_YEAR_END = "financial_year_end", "The end of a financial year"

    notice_alignment = models.CharField(
        "notice takes effect on",
        max_length=20,
        choices=NoticeAlignment.choices,
        default=NoticeAlignment.ANY_DATE,
        help_text="Notice runs for the schedule's notice period, then to the next such date.",
    )
    renewal_term_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="After the end date the agreement renews for terms of this many months. Blank: no renewal.",
    )
    max_renewals = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many renewal terms are allowed. Blank: no limit."
    )
    return_due_working_days = models.PositiveSmallIntegerField(
        "returns due (working days after quarter end)",
        default=15,
        validators=[MaxValueValidator(60)],
    )
    council_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_signatory_agreements",
        help_text="The council officer who approves the final version and variations.",
    )
    almo_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="almo_signatory_agreements",
        verbose_name="ALMO signatory",
        help_text="The ALMO officer who approves the final version and variations.",
    )
    is_template = models.BooleanField(
        "standard template",
        default=False,
        help_text="Coordinators of every ALMO of the council may copy it into a new draft.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False, help_text="Bumped on every save of the draft.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "reference"]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("agreements:agreement_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            errors["end_date"] = "The end date must be after the start date."
        if self.almo_id and self.council_id and self.almo.council_id != self.council_id:
            errors["almo"] = f"{self.almo} is not an ALMO of {self.council}."
        if self.council_signatory_id and self.almo_signatory_id and self.council_signatory_id == self.almo_signatory_id:
            errors["almo_signatory"] = "The ALMO signatory must be a different person from the council signatory."
        for field, message in self.signatory_errors().items():
            errors.setdefault(field, message)
        if errors:
            raise ValidationError(errors)

    def signatory_errors(self) -> dict[str, str]:
        """Why a named signatory may not sign this agreement, by field (empty when both may).

        The council signatory must hold the council's signing authority, the ALMO signatory the
        authority of this agreement's ALMO (``services.signing``); the coordinator who drafted the
        agreement never signs it. Checked when the draft is saved and again at every approval.
        """
        errors = {}
        checks = (
            ("council_signatory", "council", "council", may_sign_for_council),
            ("almo_signatory", "ALMO", "almo", may_sign_for_almo),
        )
        for field, party, organisation_field, may_sign in checks:
            user_id, organisation_id = getattr(self, f"{field}_id"), getattr(self, f"{organisation_field}_id")
            if not user_id or not organisation_id:
                continue
            user, organisation = getattr(self, field), getattr(self, organisation_field)
            name = user.get_full_name() or user.username
            if user_id == self.coordinator_id:
                errors[field] = f"{name} coordinates this agreement, so cannot also sign it for the {party}."
            elif not may_sign(user, organisation_id):
                errors[field] = (
                    f"{name} has no authority to sign service level agreements for {organisation}. "
                    "An administrator grants signing authority."
                )
        return errors

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    def last_day(self) -> dt.date | None:
        """The last day the agreement can run, renewal terms included; None when it can run on without end."""
        if self.end_date is None:
            return None
        if self.renewal_term_months and self.max_renewals is None:
            return None
        if not self.renewal_term_months or not self.max_renewals:
            return self.end_date
        last = self.end_date
        for _ in range(self.max_renewals):
            last = add_months(last + dt.timedelta(days=1), self.renewal_term_months) - dt.timedelta(days=1)
        return last

    def term_in_force(self, on: dt.date):
        """The initial or renewal term in force on ``on`` (see ``agreements.notices``)."""
        return term_in_force(
            start=self.start_date,
            end=self.end_date,
            renewal_term_months=self.renewal_term_months,
            max_renewals=self.max_renewals,
            on=on,
        )


class Schedule(models.Model):
    """The terms for one service within an agreement."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annually"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="schedules")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="schedules")
    expected_service_level = long_text(help_text="What the department will provide, in plain words.")
    reporting_what = long_text("what is reported", blank=True)
    reporting_frequency = models.CharField(
        "how often it is reported", max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    reporting_to = models.CharField("reported to", max_length=250, blank=True)
    report_departures = models.BooleanField(
        "departures from standard must be reported",
        default=True,
    )
    notice_period_months = models.SmallIntegerField(
        "notice period (months)",
        help_text="How long the ALMO must give to stop buying this service.",
    )
    annual_cost = models.DecimalField("annual cost (£)", max_digits=12, decimal_places=2)
    cost_basis = models.CharField(
        "how the cost is apportioned",
        max_length=250,
        blank=True,
        help_text="For example: 20% of the audit team's staff time.",
    )
    staff_time_share = models.DecimalField(
        "share of staff time (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    legal_notes = long_text("legal and contract notes", blank=True)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text="The same service's schedule in an earlier agreement of the ALMO that this one replaces.",
    )
    supersedes_from = models.DateField(
        "replaces it from",
        null=True,
        blank=True,
        help_text="The earlier schedule ends the day before; this one is paid for from this date.",
    )
    starts_on = models.DateField(
        "added from",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a variation adds the service to a live agreement: paid for from this date.",
    )
    ends_on = models.DateField(
        "removed after",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a variation removes the service: the last day it is provided and paid for.",
    )
    commercially_confidential = models.BooleanField(
        "cost commercially confidential",
        default=False,
        help_text="Its cost, how it is apportioned and its yearly costs are withheld from tenant scrutiny panel "
        "members.",
    )
    revision = models.PositiveIntegerField(default=1, editable=False, help_text="Bumped on every save of the draft.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["service__department__name", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "service"], name="schedule_one_per_service_per_agreement"),
        ]

    def __str__(self):
        return f"{self.service} ({self.agreement.reference})"

    def get_absolute_url(self):
        return reverse("agreements:schedule_detail", args=[self.agreement_id, self.pk])

    def clean(self):
        errors = {}
        if self.notice_period_months is not None and self.notice_period_months < 0:
            errors["notice_period_months"] = "The notice period cannot be negative."
        elif self.notice_period_months is not None and self.notice_period_months > 60:
            errors["notice_period_months"] = "The notice period must be 60 months or fewer."
        if self.annual_cost is not None and self.annual_cost < 0:
            errors["annual_cost"] = "The annual cost cannot be negative."
        if self.staff_time_share is not None and not (0 <= self.staff_time_share <= 100):
            errors["staff_time_share"] = "The share of staff time must be between 0% and 100%."
        if self.agreement_id and self.service_id:
            clash = Schedule.objects.filter(agreement_id=self.agreement_id, service_id=self.service_id)
            if self.pk:
                clash = clash.exclude(pk=self.pk)
            if clash.exists():
                errors["service"] = f"This agreement already has a schedule for {self.service}."
        errors.update(self._supersession_errors())
        if errors:
            raise ValidationError(errors)

    def _supersession_errors(self) -> dict[str, str]:
        if self.supersedes_id is None:
            if self.supersedes_from:
                return {"supersedes": "Choose the earlier schedule this one replaces, or clear the date."}
            return {}
        earlier = self.supersedes
        agreement = self.agreement
        if not self.supersedes_from:
            return {"supersedes_from": "Enter the date this schedule replaces the earlier one from."}
        if earlier.agreement_id == self.agreement_id:
            return {"supersedes": "A schedule cannot replace one in the same agreement."}
        if earlier.service_id != self.service_id or earlier.agreement.almo_id != agreement.almo_id:
            return {"supersedes": f"Choose a schedule for {self.service} in another agreement of {agreement.almo}."}
        if self.supersedes_from < agreement.start_date:
            return {
                "supersedes_from": f"The date must be on or after this agreement starts ({agreement.start_date:%-d %B %Y})."  # noqa: E501
            }
        if self.supersedes_from <= earlier.agreement.start_date:
            return {"supersedes_from": "The date must be after the earlier agreement starts."}
        return {}

    def in_force(self, *, with_notice: bool = True) -> tuple[dt.date, dt.date | None]:
        """First and last day the ALMO pays for this schedule (last None: no end in sight).

        From the agreement's start (or the date it replaces an earlier schedule) to the end of
        its last term, renewals included; cut short by notice served and not withdrawn (paid
        up to and including the day it takes effect) and by a live successor schedule that
        replaces it (the day before). Reads prefetched ``open_notices`` and ``live_successors``
        when present (``agreements.cost_selectors.with_costs``).
        """
        agreement = self.agreement
        first = agreement.start_date
        if self.supersedes_id and self.supersedes_from:
            first = max(first, self.supersedes_from)
        if self.starts_on:  # added by a variation
            first = max(first, self.starts_on)
        last = agreement.last_day()
        if self.ends_on:  # removed by a variation
            last = self.ends_on if last is None else min(last, self.ends_on)
        open_notices = getattr(self, "open_notices", None) if with_notice else []
        if open_notices is None:
            open_notices = [n for n in self.notices.all() if n.withdrawn_on is None]
        for notice in open_notices:
            last = notice.effective_date if last is None else min(last, notice.effective_date)
        successors = getattr(self, "live_successors", None)
        if successors is None:
            successors = [
                s for s in self.successors.select_related("agreement") if s.agreement.is_live and s.supersedes_from
            ]
        if successors:
            day_before = min(s.supersedes_from for s in successors) - dt.timedelta(days=1)
            last = day_before if last is None else min(last, day_before)
        return first, last


# The Regulator of Social Housing's Tenant Satisfaction Measures (from April 2023).
TSM_CODES = [
    ("BS01", "BS01 Gas safety checks"),
    ("BS02", "BS02 Fire safety checks"),
    ("BS03", "BS03 Asbestos safety checks"),
    ("BS04", "BS04 Water safety checks"),
    ("BS05", "BS05 Lift safety checks"),
    ("CH01", "CH01 Complaints relative to the size of the landlord"),
    ("CH02", "CH02 Complaints responded to within Complaint Handling Code timescales"),
    ("NM01", "NM01 Anti-social behaviour cases relative to the size of the landlord"),
    ("RP01", "RP01 Homes that do not meet the Decent Homes Standard"),
    ("RP02", "RP02 Repairs completed within target timescale"),
    ("TP01", "TP01 Overall satisfaction"),
    ("TP02", "TP02 Satisfaction with repairs"),
    ("TP03", "TP03 Satisfaction with time taken to complete most recent repair"),
    ("TP04", "TP04 Satisfaction that the home is well maintained"),
    ("TP05", "TP05 Satisfaction that the home is safe"),
    ("TP06", "TP06 Satisfaction that the landlord listens to tenant views and acts upon them"),
    ("TP07", "TP07 Satisfaction that the landlord keeps tenants informed about things that matter to them"),
    ("TP08", "TP08 Agreement that the landlord treats tenants fairly and with respect"),
    ("TP09", "TP09 Satisfaction with the landlord's approach to handling complaints"),
    ("TP10", "TP10 Satisfaction that the landlord keeps communal areas clean and well maintained"),
    ("TP11", "TP11 Satisfaction that the landlord makes a positive contribution to neighbourhoods"),
    ("TP12", "TP12 Satisfaction with the landlord's approach to handling anti-social behaviour"),
]


class Standard(models.Model):
    """A measurable standard with targets, or a milestone with a due date."""

    class Kind(models.TextChoices):
        MEASURED = "measured", "Measured against a target"
        MILESTONE = "milestone", "Milestone"

    class Unit(models.TextChoices):
        HOURS = "hours", "hours"
        WORKING_DAYS = "working_days", "working days"
        PERCENT = "percent", "%"
        COUNT = "count", "count"
        GBP = "gbp", "£"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="standards")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEASURED)
    title = models.CharField("standard", max_length=250, help_text="For example: abandoned cars removed.")
    unit = models.CharField(max_length=20, choices=Unit.choices, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    amber_tolerance = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text="How far short of target still counts as amber rather than red, in the standard's unit.",
    )
    tsm_code = models.CharField(
        "Tenant Satisfaction Measure",
        max_length=4,
        choices=TSM_CODES,
        blank=True,
        help_text="The regulator's Tenant Satisfaction Measure this standard feeds, if any.",
    )
    deliverable = long_text(blank=True, help_text="For a milestone: what will be delivered.")
    due_date = models.DateField(null=True, blank=True, help_text="For a milestone: when it is due.")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "position", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.kind == self.Kind.MEASURED:
            if not self.unit:
                errors["unit"] = "Choose the unit the standard is measured in."
            if not self.direction:
                errors["direction"] = "Say whether a higher or a lower figure is better."
            if self.amber_tolerance is not None and self.amber_tolerance < 0:
                errors["amber_tolerance"] = "The amber tolerance cannot be negative."
        else:
            if not self.deliverable:
                errors["deliverable"] = "Describe what the milestone delivers."
            if not self.due_date:
                errors["due_date"] = "Enter the date the milestone is due."
            elif self.schedule_id and self.due_date < self.schedule.agreement.start_date:
                starts = self.schedule.agreement.start_date
                errors["due_date"] = f"The milestone must be due on or after the agreement starts ({starts:%-d %B %Y})."
        if errors:
            raise ValidationError(errors)

    def target_on(self, day: dt.date) -> StandardTarget | None:
        """The target in force on ``day``: the latest one whose effective date is not after it.

        Uses prefetched ``targets`` when present, so a page listing standards stays at a
        constant number of queries.
        """
        applicable = [t for t in self.targets.all() if t.effective_from <= day]
        return max(applicable, key=lambda t: t.effective_from) if applicable else None

    def format_value(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        text = f"{value.normalize():f}"
        if self.unit == self.Unit.PERCENT:
            return f"{text}%"
        if self.unit == self.Unit.GBP:
            return f"£{value:,.2f}"
        if self.unit in (self.Unit.HOURS, self.Unit.WORKING_DAYS):
            return f"{text} {self.get_unit_display()}"
        return text


class ScheduleYearCost(models.Model):
    """What the ALMO pays for a schedule in one financial year (with that year's uplift)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="year_costs")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in: 2025 for 2025/26."
    )
    amount = models.DecimalField(
        "cost (£)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    note = models.CharField(max_length=250, blank=True, help_text="For example: 2.5% pay award uplift.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "financial_year"], name="year_cost_one_per_year"),
        ]

    def __str__(self):
        return f"{self.schedule}: £{self.amount:,.2f} in {financial_year_label(self.financial_year)}"


class ServiceNotice(models.Model):
    """Notice served by the ALMO to stop buying a scheduled service."""

    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="notices")
    served_on = models.DateField()
    effective_date = models.DateField(help_text="The date the service stops.")
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = long_text()
    withdrawn_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_date"]

    def __str__(self):
        return f"Notice on {self.schedule.service}: effective {self.effective_date:%d %B %Y}"

    def clean(self):
        if self.served_on and self.effective_date and self.effective_date <= self.served_on:
            raise ValidationError({"effective_date": "Notice must take effect after the date it is served."})


_UNIT_LIMITS = {
    Standard.Unit.PERCENT: (Decimal("0"), Decimal("100")),
    Standard.Unit.HOURS: (Decimal("0"), Decimal("8784")),
    Standard.Unit.WORKING_DAYS: (Decimal("0"), Decimal("260")),
    Standard.Unit.COUNT: (Decimal("0"), None),
    Standard.Unit.GBP: (Decimal("0"), None),
}


class StandardTarget(models.Model):
    """A target value, in force from its effective date until the next target's."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="targets")
    effective_from = models.DateField(help_text="Usually 1 April, the start of a financial year.")
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "effective_from"], name="target_one_per_effective_date"),
        ]

    def __str__(self):
        return f"{self.standard}: {self.value} from {self.effective_from:%d %B %Y}"

    def clean(self):
        if self.standard_id is None or self.value is None:
            return
        if self.standard.kind != Standard.Kind.MEASURED:
            raise ValidationError("A milestone has a due date, not a target.")
        low, high = _UNIT_LIMITS.get(self.standard.unit, (None, None))
        if low is not None and self.value < low:
            raise ValidationError({"value": "The target cannot be negative."})
        if high is not None and self.value > high:
            unit = self.standard.get_unit_display()
            raise ValidationError({"value": f"A target in {unit} must be {high.normalize():f} or less."})


# --- Drafting: versions, comments, sign-off and variations -------------------------------


class AgreementVersion(models.Model):
    """A frozen, numbered snapshot of an agreement (v1, v2, …) that never changes afterwards."""

    class Purpose(models.TextChoices):
        CIRCULATED = "circulated", "Circulated for comment"
        SIGN_OFF = "sign_off", "Final version for sign-off"
        VARIATION = "variation", "Terms after a variation"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    snapshot = models.JSONField(help_text="The agreement with its schedules, standards, targets and yearly costs.")
    comment_deadline = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique_per_agreement"),
        ]

    def __str__(self):
        return f"{self.agreement.reference} v{self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"

    def get_absolute_url(self):  # noqa: DJ012
        return reverse("agreements:version_detail", args=[self.agreement_id, self.number])

    def commenting_closed_reason(self, today: dt.date) -> str | None:
        """Why this version takes no comments on ``today``, or None while its comment window is open.

        The one home of the window rule: a version takes comments only while it is the agreement's
        current circulated version (the agreement still out for comment, no later version) and
        until the end of its deadline day. ``agreements.comment_on_version`` includes it.
        """
        if self.purpose != self.Purpose.CIRCULATED or self.comment_deadline is None:
            return f"{self.label} was not circulated for comment: it is the {self.get_purpose_display().lower()}."
        latest = self.agreement.versions.order_by("-number").values_list("number", flat=True).first()
        if latest is not None and latest > self.number:
            return f"Commenting on {self.label} has closed: v{latest} has replaced it."
        if self.agreement.status != Agreement.Status.OUT_FOR_COMMENT:
            status = self.agreement.get_status_display().lower()
            return (
                f"Commenting on {self.label} has closed: the agreement is no longer out for comment (it is {status})."
            )
        if today > self.comment_deadline:
            return f"Commenting on {self.label} closed at the end of {self.comment_deadline:%-d %B %Y}, its deadline."
        return None

    def commenting_open(self, today: dt.date) -> bool:
        return self.commenting_closed_reason(today) is None


class Comment(models.Model):
    """A comment on a circulated version, on one schedule (service) or the whole agreement."""

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting a response"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        ANSWERED = "answered", "Answered"

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The schedule commented on; blank for the whole agreement.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = long_text("comment")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    response = long_text(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "created_at", "pk"]

    def __str__(self):
        where = self.service.name if self.service_id else "the whole agreement"
        return f"Comment on {where} ({self.version})"

    def clean(self):
        if self.status == self.Status.REJECTED and not self.response.strip():
            raise ValidationError({"response": "Give the reason for rejecting the comment."})
        if self.status == self.Status.ANSWERED and not self.response.strip():
            raise ValidationError({"response": "Enter your answer."})


class Variation(models.Model):
    """A proposed change to an active agreement's terms, agreed by both parties."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved, waiting for its effective date"
        APPLIED = "applied", "In force"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveIntegerField()
    reason = long_text()
    effective_date = models.DateField(help_text="The date the new terms apply from.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    backdating_reason = long_text(
        "reason for backdating",
        blank=True,
        help_text="Required when the variation takes effect before the current quarter.",
    )
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Bumped whenever the proposal changes; an approval is for the revision the signatory saw.",
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = long_text("reason for withdrawing", blank=True)
    superseded_version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Snapshot of the terms before this variation applied.",
    )
    resulting_version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Snapshot of the terms after this variation applied.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="variation_number_unique_per_agreement"),
        ]

    def __str__(self):
        return f"Variation {self.number} to {self.agreement.reference}"

    def get_absolute_url(self):
        return reverse("agreements:variation_detail", args=[self.agreement_id, self.number])

    def clean(self):
        if self.effective_date is None or self.agreement_id is None:
            return
        agreement = self.agreement
        last = agreement.last_day()
        if self.effective_date < agreement.start_date or (last is not None and self.effective_date > last):
            end = f"{last:%-d %B %Y}" if last else "no end date"
            raise ValidationError(
                {
                    "effective_date": f"The date must fall within the agreement's term: "
                    f"{agreement.start_date:%-d %B %Y} to {end}."
                }
            )


class VariationChange(models.Model):
    """One changed term of one schedule within a variation."""

    class Field(models.TextChoices):
        NOTICE_PERIOD = "notice_period_months", "Notice period (months)"
        ANNUAL_COST = "annual_cost", "Annual cost (£)"
        EXPECTED_SERVICE_LEVEL = "expected_service_level", "Expected service level"
        REPORTING_FREQUENCY = "reporting_frequency", "How often it is reported"
        TARGET = "target", "Target of a standard"
        ADD_SERVICE = "add_service", "Add a service"
        REMOVE_SERVICE = "remove_service", "Remove the service"

    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="changes")
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variation_changes",
        help_text="The schedule changed or removed; blank when the change adds a service.",
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The service added (its new value is the annual cost).",
    )
    added_notice_period_months = models.SmallIntegerField(
        "notice period of the added service (months)", null=True, blank=True
    )
    added_service_level = long_text("expected service level of the added service", blank=True)
    standard = models.ForeignKey(
        Standard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variation_changes",
        help_text="For a change of target: the standard whose target changes from the effective date.",
    )
    field = models.CharField("term", max_length=40, choices=Field.choices)
    old_value = models.CharField(max_length=2000, blank=True)
    new_value = models.CharField("new value", max_length=2000)
    history = HistoricalRecords()

    class Meta:
        ordering = ["variation", "pk"]

    def __str__(self):
        return f"{self.service_name}: {self.term_label} {self.old_display} → {self.new_display}"

    @property
    def service_name(self) -> str:
        if self.schedule_id:
            return self.schedule.service.name
        return self.service.name if self.service_id else ""

    @property
    def term_label(self) -> str:
        if self.field == self.Field.TARGET and self.standard_id:
            return f"Target: {self.standard.title}"
        return self.get_field_display()

    def display(self, value: str) -> str:
        """A stored value as people read it: "£195,000", "6 months", "Quarterly", "85%"."""
        if value in (None, ""):
            return ""
        if self.field == self.Field.REMOVE_SERVICE and value == "removed":
            return "Removed"
        try:
            if self.field in (self.Field.ANNUAL_COST, self.Field.ADD_SERVICE, self.Field.REMOVE_SERVICE):
                amount = Decimal(str(value).replace(",", "").replace("£", ""))
                return f"£{amount:,.0f}" if amount == amount.to_integral() else f"£{amount:,.2f}"
            if self.field == self.Field.NOTICE_PERIOD:
                months = int(value)
                return f"{months} month{'s' if months != 1 else ''}"
            if self.field == self.Field.TARGET and self.standard_id:
                return self.standard.format_value(Decimal(value))
        except (ArithmeticError, ValueError):
            return str(value)
        if self.field == self.Field.REPORTING_FREQUENCY:
            return dict(Schedule.Frequency.choices).get(value, value)
        return str(value)

    @property
    def old_display(self) -> str:
        return self.display(self.old_value)

    @property
    def new_display(self) -> str:
        return self.display(self.new_value)

    def clean(self):
        if self.schedule_id and self.variation_id and self.schedule.agreement_id != self.variation.agreement_id:
            raise ValidationError({"schedule": "Choose a schedule of this agreement."})
        if self.field == self.Field.ADD_SERVICE:
            self._clean_added_service()
            return
        if not self.schedule_id:
            raise ValidationError({"schedule": "Choose the schedule to change."})
        if self.field == self.Field.REMOVE_SERVICE:
            if self.schedule.ends_on is not None:
                raise ValidationError({"schedule": f"{self.schedule.service} has already been removed."})
            self.new_value = "removed"
            return
        if self.field == self.Field.TARGET:
            self._clean_target()
            return
        if self.standard_id:
            raise ValidationError({"standard": "Choose a standard only when changing a target."})
        if not self.field or self.new_value in (None, ""):
            return
        if self.field == self.Field.NOTICE_PERIOD:
            try:
                months = int(self.new_value)
            except ValueError:
                raise ValidationError({"new_value": "Enter the notice period as a whole number of months."}) from None
            if not 0 <= months <= 60:
                raise ValidationError({"new_value": "The notice period must be between 0 and 60 months."})
        elif self.field == self.Field.ANNUAL_COST:
            try:
                cost = Decimal(self.new_value.replace(",", "").replace("£", ""))
            except ArithmeticError:
                raise ValidationError({"new_value": "Enter the annual cost in pounds, for example 38000."}) from None
            if cost < 0:
                raise ValidationError({"new_value": "The annual cost cannot be negative."})
        elif self.field == self.Field.REPORTING_FREQUENCY and self.new_value not in Schedule.Frequency.values:
            choices = ", ".join(Schedule.Frequency.values)
            raise ValidationError({"new_value": f"Enter one of: {choices}."})

    def _clean_added_service(self):
        errors = {}
        agreement = self.variation.agreement if self.variation_id else None
        if not self.service_id:
            errors["service"] = "Choose the service to add."
        elif agreement is not None:
            if self.service.department.council_id != agreement.council_id:
                errors["service"] = f"Choose a service of {agreement.council}."
            elif agreement.schedules.filter(service_id=self.service_id).exists():
                errors["service"] = f"The agreement already has a schedule for {self.service}."
        try:
            cost = Decimal(str(self.new_value).replace(",", "").replace("£", ""))
            if not cost.is_finite() or cost < 0:
                raise ArithmeticError
            self.new_value = f"{cost:f}"
        except ArithmeticError:
            errors["new_value"] = "Enter the added service's annual cost in pounds, for example 38000."
        months = self.added_notice_period_months
        if months is None or not 0 <= months <= 60:
            errors["added_notice_period_months"] = "Enter the added service's notice period, from 0 to 60 months."
        if not self.added_service_level.strip():
            errors["added_service_level"] = "Describe the level of service the department will provide."
        if errors:
            raise ValidationError(errors)

    def _clean_target(self):
        if not self.standard_id:
            raise ValidationError({"standard": "Choose the standard whose target changes."})
        if self.schedule_id and self.standard.schedule_id != self.schedule_id:
            raise ValidationError({"standard": f"Choose a standard of {self.schedule.service}."})
        if self.standard.kind != Standard.Kind.MEASURED:
            raise ValidationError({"standard": "A milestone has a due date, not a target: choose a measured standard."})
        try:
            value = Decimal(str(self.new_value).replace(",", "").replace("%", "").replace("£", ""))
        except ArithmeticError:
            raise ValidationError({"new_value": "Enter the new target as a number, for example 95."}) from None
        if not value.is_finite():
            raise ValidationError({"new_value": "Enter the new target as a number, for example 95."})
        try:
            StandardTarget(standard=self.standard, effective_from=dt.date(2000, 1, 1), value=value).clean()
        except ValidationError as error:
            raise ValidationError({"new_value": error.messages}) from None
        self.new_value = f"{value.normalize():f}"


class Approval(models.Model):
    """A signatory's decision on the final version (sign-off) or on a variation."""

    class Party(models.TextChoices):
        COUNCIL = "council", "Council"
        ALMO = "almo", "ALMO"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Declined"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="approvals")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="approvals"
    )
    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, null=True, blank=True, related_name="approvals")
    party = models.CharField(max_length=10, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = long_text(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="one_approval_per_party_per_version"),
            models.UniqueConstraint(fields=["variation", "party"], name="one_approval_per_party_per_variation"),
        ]

    def __str__(self):
        what = f"variation {self.variation.number}" if self.variation_id else f"v{self.version.number}"
        return f"{self.get_party_display()} {self.get_decision_display().lower()} {what}"


class DraftingStep(models.Model):
    """A deliberate step in drafting, recorded with who took it, when and why.

    Moving on while a comment window is open or comments are unanswered needs a reason; a
    signatory declining a version gives one. The notification framework reads these rows (and
    ``Approval`` rows) to tell the right people.
    """

    class Kind(models.TextChoices):
        NEXT_DRAFT = "next_draft", "Started the next draft"
        SENT_FOR_SIGNOFF = "sent_for_signoff", "Sent for sign-off"
        DECLINED = "declined", "Declined at sign-off"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="drafting_steps")
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The version the step moved on from (or sent for sign-off).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = long_text(blank=True)
    window_open = models.BooleanField("comment window still open", default=False)
    unanswered_comments = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.agreement.reference})"


# The council's standard schedule per service (issue 14), registered with this app.
from agreements.council_templates import ServiceTemplate  # noqa: E402, F401
