"""The agreement itself: its parties, term and renewals, notice alignment and signatories.

``Agreement.Status`` and its status sets (live, editable, in drafting, reportable) are the one
home of which agreements bind both parties and which may be edited; ``Agreement.objects.live()``
asks the same question of the database.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.notices import add_months, term_in_force
from services.models import Almo, Council
from services.signing import may_sign_for_almo, may_sign_for_council

# Letters, digits, spaces and - _ . / ( ): a reference goes into e-mail subjects, file names and
# exports, so line breaks and other control characters are refused (ASVS 5.0 V1.2, V2.2).
validate_reference = RegexValidator(
    r"\A[A-Za-z0-9][A-Za-z0-9 ._/()-]*\Z",
    "Use only letters, numbers, spaces and - _ . / ( ) in the reference, starting with a letter or number.",
    code="invalid_reference",
)


@functools.lru_cache(maxsize=1024)
def _last_day(end_date: dt.date | None, renewal_term_months: int | None, max_renewals: int | None) -> dt.date | None:
    """``Agreement.last_day`` from its three fields: pure, so remembered (cost sums ask it for every schedule)."""
    if end_date is None:
        return None
    if renewal_term_months and max_renewals is None:
        return None
    if not renewal_term_months or not max_renewals:
        return end_date
    last = end_date
    for _ in range(max_renewals):
        last = add_months(last + dt.timedelta(days=1), renewal_term_months) - dt.timedelta(days=1)
    return last


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
        return _last_day(self.end_date, self.renewal_term_months, self.max_renewals)

    def term_in_force(self, on: dt.date):
        """The initial or renewal term in force on ``on`` (see ``agreements.notices``)."""
        return term_in_force(
            start=self.start_date,
            end=self.end_date,
            renewal_term_months=self.renewal_term_months,
            max_renewals=self.max_renewals,
            on=on,
        )
