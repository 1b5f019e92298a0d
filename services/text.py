"""Free text typed by people: one limit, enforced by the model (``full_clean``) and by every form.

A ``TextField``'s ``max_length`` only reaches its form field; the validator makes the model refuse
longer text too (services, imports and the admin call ``full_clean``).
"""

from django.core.validators import MaxLengthValidator
from django.db import models

#: Long free text: descriptions, reasons, commentary, comments.
LONG_TEXT = 5000


def long_text(*args, max_length: int = LONG_TEXT, **kwargs) -> models.TextField:
    """A ``TextField`` that refuses more than ``max_length`` characters, with a clear message."""
    return models.TextField(*args, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)
