"""Organisations (council, ALMOs, departments), the services departments provide, and
who each user is in that world (their role)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


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
    description = models.TextField(blank=True)
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

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=30, choices=Role.choices)
    almo = models.ForeignKey(
        Almo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        help_text="Required for coordinators and board members.",
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

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        errors = {}
        if self.role in (self.Role.COORDINATOR, self.Role.BOARD_MEMBER) and not self.almo_id:
            errors["almo"] = f"Choose the ALMO this {self.get_role_display().lower()} works for."
        if self.role == self.Role.DEPARTMENT_OFFICER and not self.department_id:
            errors["department"] = "Choose the department this officer reports for."
        if self.role == self.Role.DEPARTMENT_OFFICER and self.almo_id:
            errors["almo"] = "A council department officer is not attached to an ALMO."
        if self.role in (self.Role.COORDINATOR, self.Role.BOARD_MEMBER) and self.department_id:
            errors["department"] = "Only council department officers are attached to a department."
        if errors:
            raise ValidationError(errors)
