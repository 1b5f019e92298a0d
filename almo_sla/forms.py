"""GOV.UK Design System form rendering through Django's form-rendering API.

``{{ form }}`` renders each field with a label, hint, error message and the GOV.UK
classes for its widget; forms with errors get an error summary.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting

_WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


def govuk_widget_class(widget) -> str:
    for widget_type, css in _WIDGET_CLASSES.items():
        if isinstance(widget, widget_type):
            return css
    return "govuk-input"


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN and infinity as it reads them: Django's lets ``sNaN`` through
    ``to_python``, and comparing it in ``has_changed`` raises InvalidOperation (a 500)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class GovukFormMixin:
    """Adds GOV.UK classes to widgets (and error classes to fields that failed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if type(field) is forms.DecimalField:
                field.__class__ = FiniteDecimalField
            css = govuk_widget_class(field.widget)
            existing = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{existing} {css}".strip()
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"  # a date input only takes ISO dates

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = govuk_widget_class(widget)
                if css in _ERROR_CLASSES:
                    # fields a subclass adds after __init__ have no class yet
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {_ERROR_CLASSES[css]}".strip()
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class LoginForm(GovukFormMixin, AuthenticationForm):
    pass


class GovukFilterForm(GovukFormMixin, forms.Form):
    """Base form for django-filter FilterSets (``Meta.form``)."""


def add_validation_errors(form, error) -> None:
    """Show a service function's ``ValidationError`` on the form: per field where it names one of
    the form's fields, otherwise at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
