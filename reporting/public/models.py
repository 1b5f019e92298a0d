"""Quarters of an ALMO's performance published on its public page (issue 14).

The coordinator publishes a quarter once every return for it is accepted; publishing is
recorded here and never undone by later quarters, so earlier quarters stay on the page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from services.periods import Quarter


class PublishedQuarter(models.Model):
    almo = models.ForeignKey(
        "services.Almo", on_delete=models.PROTECT, related_name="published_quarters", verbose_name="ALMO"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="The calendar year the financial year starts in.")
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["almo", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["almo", "financial_year", "quarter"], name="published_quarter_once"),
        ]

    def __str__(self):
        return f"{self.almo} {self.period.label} (published)"

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)
