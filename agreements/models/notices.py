"""Notice served by the ALMO to stop buying a scheduled service.

When notice may be served and when it takes effect are worked out in ``agreements/notices.py``
(the rules); serving and withdrawing it in ``agreements/notice_writes.py``. This module holds
only the record of a notice served.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from agreements.models.schedule import Schedule
from services.text import long_text


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
