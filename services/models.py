"""Organisations (council, ALMOs, departments), the services departments provide, and
who each user is in that world (their role)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from services.text import long_text


class Council(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Almo(models.Model):
    """An arm's-length management organisation set up by a council to manage its homes."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="almos")
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    homes_managed = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "ALMO"
        verbose_name_plural = "ALMOs"

    def __str__(self):
        return self.name


class Department(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    is_housing = models.BooleanField("housing department", default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="department_unique_slug_per_council"),
            models.UniqueConstraint(fields=["council", "name"], name="department_unique_name_per_council"),
        ]

    def __str__(self):
        return self.name


class Service(models.Model):
    """A service a council department provides to the ALMO."""

    class Kind(models.TextChoices):
        TECHNICAL = "technical", "Technical (measurable standards)"
        SOFT = "soft", "Soft (milestones)"

    class Category(models.TextChoices):
        STRATEGIC_SUPPORT = "strategic_support", "Strategic and support"
        FRONTLINE = "frontline", "Frontline"
        ENVIRONMENTAL = "environmental", "Environmental"
        COMMUNITY = "community", "Community"
        PROPERTY = "property", "Property and repairs"

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = long_text(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TECHNICAL)
    category = models.CharField(max_length=30, choices=Category.choices, default=Category.STRATEGIC_SUPPORT)
    hra_funded = models.BooleanField(
        "funded by the Housing Revenue Account",
        default=False,
        help_text="Charged to the Housing Revenue Account, so it belongs in the agreement.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "slug"], name="service_unique_slug_per_department"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:service_detail", args=[self.pk])


class Profile(models.Model):
    """A user's role and the organisation it applies to."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "ALMO coordinator"
        DEPARTMENT_OFFICER = "department_officer", "Council department officer"
        BOARD_MEMBER = "board_member", "Board member"
        ADMINISTRATOR = "administrator", "Administrator"
        PANEL_MEMBER = "panel_member", "Tenant scrutiny panel member"
        COUNCIL_OFFICER = "council_officer", "Council client officer"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=30, choices=Role.choices)
    almo = models.ForeignKey(
        Almo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="Required for coordinators, board members and tenant scrutiny panel members.",
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="Required for council client officers: they see every ALMO of this council.",
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="Required for council department officers.",
    )
    job_title = models.CharField(max_length=200, blank=True)

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Each e-mail as it happens"
        DAILY_DIGEST = "daily_digest", "One summary e-mail a day"

    notification_delivery = models.CharField(
        "how you get notification e-mails",
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
    )

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        errors = {}
        if self.role in (self.Role.COORDINATOR, self.Role.BOARD_MEMBER, self.Role.PANEL_MEMBER) and not self.almo_id:
            errors["almo"] = f"Choose the ALMO this {self.get_role_display().lower()} works for."
        if self.role == self.Role.DEPARTMENT_OFFICER and not self.department_id:
            errors["department"] = "Choose the department this officer reports for."
        if self.role == self.Role.DEPARTMENT_OFFICER and self.almo_id:
            errors["almo"] = "A council department officer is not attached to an ALMO."
        if self.role in (self.Role.COORDINATOR, self.Role.BOARD_MEMBER, self.Role.PANEL_MEMBER) and self.department_id:
            errors["department"] = "Only council department officers are attached to a department."
        if self.role == self.Role.COUNCIL_OFFICER:
            if not self.council_id:
                errors["council"] = "Choose the council this client officer works for."
            if self.almo_id:
                errors["almo"] = "A council client officer sees every ALMO of the council, not one."
            if self.department_id:
                errors["department"] = "A council client officer is not attached to a department."
        elif self.council_id:
            errors["council"] = "Only council client officers are attached to a council."
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------
# Value for money: benchmark evidence and market testing (issue 6)
# ---------------------------------------------------------------------------


class Benchmark(models.Model):
    """Evidence of what a service costs elsewhere, recorded by an ALMO for one council service."""

    class Kind(models.TextChoices):
        ALTERNATIVE_QUOTE = "alternative_quote", "An alternative provider's quote"
        PEER_COST = "peer_cost", "Another council's or ALMO's cost"
        PUBLISHED = "published", "A published benchmark"

    class Basis(models.TextChoices):
        PER_YEAR = "per_year", "A year, for the same scope of service"
        PER_UNIT = "per_unit", "A unit (an hour, a case, an employee…)"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="benchmarks")
    almo = models.ForeignKey(Almo, on_delete=models.PROTECT, related_name="benchmarks", verbose_name="ALMO")
    kind = models.CharField("type of evidence", max_length=30, choices=Kind.choices)
    amount = models.DecimalField("amount (£)", max_digits=12, decimal_places=2)
    basis = models.CharField("the amount is for", max_length=20, choices=Basis.choices, default=Basis.PER_YEAR)
    unit_name = models.CharField(
        "unit", max_length=60, blank=True, help_text="For an amount per unit: what the unit is, for example hour."
    )
    units_per_year = models.DecimalField(
        "units the ALMO uses a year",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For an amount per unit: how many the ALMO uses a year, to turn it into a yearly cost.",
    )
    source = models.CharField(max_length=250, help_text="Who quoted or published it, for example Northshire Legal LLP.")
    obtained_on = models.DateField("date of the evidence")
    quality_notes = long_text(
        "quality notes", blank=True, help_text="What the price includes or leaves out, and how reliable it is."
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "-obtained_on", "pk"]
        indexes = [models.Index(fields=["almo", "service"])]

    def __str__(self):
        return f"{self.service}: £{self.amount:,.2f} ({self.source})"

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = "Enter an amount more than £0."
        if self.basis == self.Basis.PER_UNIT:
            if not self.unit_name:
                errors["unit_name"] = "Say what the unit is, for example hour or case."
            if self.units_per_year is None or self.units_per_year <= 0:
                errors["units_per_year"] = "Enter how many units the ALMO uses a year, to compare like with like."
        if errors:
            raise ValidationError(errors)

    @property
    def annual_equivalent(self):
        """The amount turned into a yearly cost for the same scope, the basis the council's cost is on."""
        if self.basis == self.Basis.PER_UNIT and self.units_per_year:
            return (self.amount * self.units_per_year).quantize(Decimal("0.01"))
        return self.amount


class MarketTest(models.Model):
    """One step in testing a service on the market: under review, market tested, or the decision taken."""

    class Status(models.TextChoices):
        UNDER_REVIEW = "under_review", "Under review"
        MARKET_TESTED = "market_tested", "Market tested"
        DECIDED = "decided", "Decision taken"

    class Decision(models.TextChoices):
        STAY = "stay", "Stay with the council"
        RENEGOTIATE = "renegotiate", "Renegotiate"
        SERVE_NOTICE = "serve_notice", "Serve notice"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="market_tests")
    almo = models.ForeignKey(Almo, on_delete=models.PROTECT, related_name="market_tests", verbose_name="ALMO")
    status = models.CharField(max_length=20, choices=Status.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    recorded_on = models.DateField("date")
    reason = long_text()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "-recorded_on", "-pk"]
        indexes = [models.Index(fields=["almo", "service"])]

    def __str__(self):
        return f"{self.service}: {self.label}"

    @property
    def label(self) -> str:
        if self.status == self.Status.DECIDED and self.decision:
            return f"Decision: {self.get_decision_display().lower()}"
        return self.get_status_display()

    def clean(self):
        if self.status == self.Status.DECIDED and not self.decision:
            raise ValidationError({"decision": "Choose the decision: stay, renegotiate or serve notice."})
        if self.status != self.Status.DECIDED and self.decision:
            raise ValidationError({"decision": "Only record a decision when the status is 'Decision taken'."})


# ---------------------------------------------------------------------------
# Signing authority (issue 11): who may sign agreements for the council or for an ALMO
# ---------------------------------------------------------------------------


class SigningAuthority(models.Model):
    """An administrator's grant: this user may sign service level agreements for the council, or for one ALMO.

    Granted and revoked (deleted) in the Django admin only; every change is kept in the history.
    A council authority goes to a council officer (a department officer of that council); an ALMO
    authority to a user of that ALMO. Rules that read it: ``services.signing``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signing_authorities")
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signing_authorities",
        help_text="May sign service level agreements for this council. Leave blank for an ALMO authority.",
    )
    almo = models.ForeignKey(
        Almo,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signing_authorities",
        verbose_name="ALMO",
        help_text="May sign service level agreements for this ALMO. Leave blank for a council authority.",
    )
    note = models.CharField(
        max_length=250, blank=True, help_text="For example: delegated by the Director of Housing, 1 April 2025."
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        verbose_name_plural = "signing authorities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(council__isnull=False, almo__isnull=True)
                | models.Q(council__isnull=True, almo__isnull=False),
                name="signing_authority_for_council_or_almo",
            ),
            models.UniqueConstraint(fields=["user", "council"], name="signing_authority_once_per_council"),
            models.UniqueConstraint(fields=["user", "almo"], name="signing_authority_once_per_almo"),
        ]

    def __str__(self):
        name = (self.user.get_full_name() or self.user.username) if self.user_id else "?"
        return f"{name} may sign for {self.council or self.almo}"

    def clean(self):
        if bool(self.council_id) == bool(self.almo_id):
            raise ValidationError("Choose either the council or one ALMO the authority is for, not both.")
        if not self.user_id:
            return
        profile = Profile.objects.filter(user_id=self.user_id).select_related("department").first()
        if self.council_id:
            if profile is None or profile.department_id is None or profile.department.council_id != self.council_id:
                raise ValidationError(
                    {"user": f"Only an officer of one of {self.council}'s departments may sign for the council."}
                )
        elif profile is None or profile.almo_id != self.almo_id:
            raise ValidationError({"user": f"Only a user of {self.almo} may sign for it."})


# Notifications: every e-mail the service sends about a workflow event (issue 12)
# ---------------------------------------------------------------------------


class Notification(models.Model):
    """One e-mail to one person about one event, recorded before it is sent.

    ``key`` names the event occurrence (e.g. ``return_submitted:reporting.quarterlyreturn:7:r2``);
    it is unique per recipient, so the same occurrence is never recorded, or sent, twice.
    Sending is claimed with a conditional update (``claimed_by``) by the Celery task
    ``services.send_notification`` (or the daily digest), so a redelivered task sends nothing.
    """

    class Event(models.TextChoices):
        # Drafting and sign-off
        CIRCULATED = "circulated", "Draft circulated for comment"
        COMMENT_DEADLINE_REMINDER = "comment_deadline_reminder", "Two working days left to comment"
        COMMENT_DEADLINE_PASSED = "comment_deadline_passed", "Commenting closed"
        COMMENT_RECEIVED = "comment_received", "Comment received"
        COMMENT_ANSWERED = "comment_answered", "Comment answered"
        SIGNOFF_REQUESTED = "signoff_requested", "Sent for sign-off"
        APPROVED = "approved", "Final version approved by a signatory"
        DECLINED = "declined", "Final version declined by a signatory"
        AGREED = "agreed", "Agreement agreed"
        ACTIVE = "active", "Agreement active"
        # Variations
        VARIATION_PROPOSED = "variation_proposed", "Variation proposed"
        VARIATION_APPROVED = "variation_approved", "Variation approved"
        VARIATION_REJECTED = "variation_rejected", "Variation rejected"
        VARIATION_APPLIED = "variation_applied", "Variation in force"
        VARIATION_WITHDRAWN = "variation_withdrawn", "Variation withdrawn"
        # Notices
        NOTICE_SERVED = "notice_served", "Notice served"
        NOTICE_WITHDRAWN = "notice_withdrawn", "Notice withdrawn"
        # Quarterly returns
        RETURN_OPENED = "return_opened", "Return opened"
        RETURN_SUBMITTED = "return_submitted", "Return submitted"
        RETURN_SENT_BACK = "return_sent_back", "Return queried back"
        RETURN_ACCEPTED = "return_accepted", "Return accepted"
        RETURN_DUE_SOON = "return_due_soon", "Return due soon"
        RETURN_OVERDUE = "return_overdue", "Return overdue"
        RETURN_REMINDER = "return_reminder", "Reminder about an overdue return"
        REMEDIAL_ACTION_OVERDUE = "remedial_action_overdue", "Remedial action past its date"
        # Board packs
        BOARD_PACK_READY = "board_pack_ready", "Board pack ready"
        BOARD_PACK_FAILED = "board_pack_failed", "Board pack failed"

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Immediately"
        DIGEST = "digest", "In the daily digest"

    event = models.CharField(max_length=40, choices=Event.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200, help_text="The event occurrence; unique per recipient.")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    subject = models.CharField(max_length=250)
    body = models.TextField()
    url = models.CharField("link", max_length=500, blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True, help_text="Why the last attempt to send failed.")
    claimed_by = models.CharField(max_length=100, blank=True, help_text="The task sending it now.")
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["sent_at", "delivery"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.get_event_display()} to {self.recipient}: {self.subject}"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.failure_reason:
            return "failed"
        return "waiting for the digest" if self.delivery == self.Delivery.DIGEST else "queued"
