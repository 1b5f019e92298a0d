"""The GOV.UK date input pattern: day, month and year boxes in a fieldset, read as one date.

``GovukDateField`` names the part that is wrong ("The target date must include a year"),
as the Design System asks; the field template marks only that box as in error.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst


class GovukDateWidget(forms.MultiWidget):
    template_name = "forms/govuk_date_widget.html"

    def __init__(self, attrs=None):
        widgets = [forms.TextInput(), forms.TextInput(), forms.TextInput()]
        super().__init__(widgets, attrs)

    def id_for_label(self, id_):
        """The day box: the error summary links to it (Django's MultiWidget returns no id)."""
        return f"{id_}_0" if id_ else ""

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for sub, label, part in zip(
            context["widget"]["subwidgets"], ("Day", "Month", "Year"), ("day", "month", "year"), strict=True
        ):
            sub["label"], sub["part"] = label, part
            width = 4 if part == "year" else 2
            error = " govuk-input--error" if part in getattr(self, "error_parts", ()) else ""
            sub["attrs"]["class"] = f"govuk-input govuk-date-input__input govuk-input--width-{width}{error}"
        return context


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("template_name", "forms/govuk_date_field.html")  # Field.__init__ would reset it to None
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, *args, require_all_fields=False, **kwargs)

    def clean(self, value):
        self.widget.error_parts = ()
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        label = (self.label or "date").lower()
        if not any(parts):
            if self.required:
                self.widget.error_parts = ("day", "month", "year")
                raise ValidationError(f"Enter the {label}.", code="required")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            self.widget.error_parts = tuple(missing)
            raise ValidationError(f"The {label} must include a {' and '.join(missing)}.", code="incomplete")
        try:
            day, month, year = (int(p) for p in parts)
        except ValueError:
            self.widget.error_parts = ("day", "month", "year")
            raise ValidationError(f"The {label} must be a real date, in numbers.", code="invalid") from None
        if not 1000 <= year <= 9999:
            self.widget.error_parts = ("year",)
            raise ValidationError(f"The {label}'s year must have 4 numbers.", code="invalid")
        try:
            return dt.date(year, month, day)
        except (ValueError, OverflowError):
            self.widget.error_parts = ("day", "month")
            raise ValidationError(f"The {label} must be a real date.", code="invalid") from None

    def compress(self, data_list):  # clean() does the work
        return data_list

    def has_changed(self, initial, data):
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True


def govuk_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` for model forms: date fields become GOV.UK date inputs."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return GovukDateField(
            required=not db_field.blank, label=capfirst(db_field.verbose_name), help_text=db_field.help_text or ""
        )
    return db_field.formfield(**kwargs)
