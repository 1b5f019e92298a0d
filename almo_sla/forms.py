"""GOV.UK Design System form rendering through Django's form-rendering API.

``{{ form }}`` renders each field with a label, hint, error message and the GOV.UK
classes for its widget; forms with errors get an error summary.
"""

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators as core_validators
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name

from services.text import LONG_TEXT

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


# --- GOV.UK date input: day, month and year -------------------------------------------------

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (dt.date(2000, number, 1).strftime("%B").lower(), dt.date(2000, number, 1).strftime("%b").lower())
}
_PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three text boxes (day, month, year), never the browser's date picker.

    Reads ``name_day``, ``name_month`` and ``name_year``; when none of them was sent it falls back
    to a single ISO value under ``name`` (``?served_on=2026-12-01`` in a bookmarked link).
    """

    template_name = "forms/widgets/govuk_date_input.html"

    def __init__(self, attrs=None):
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}) for part in _PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                return self.decompress(dt.date.fromisoformat(value))
            except ValueError:
                return ["", "", ""]
        if isinstance(value, list | tuple):
            return list(value)
        return ["", "", ""]

    def format_value(self, value):  # the subwidgets format their own parts
        return value

    def value_from_datadict(self, data, files, name):
        parts = [data.get(f"{name}_{part}") for part in _PARTS]
        if any(part is not None for part in parts):
            return [part or "" for part in parts]
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in _PARTS)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        own = context["widget"]["attrs"]
        invalid = "govuk-input--error" in own.get("class", "")
        id_ = own.get("id", "")
        for part, subwidget in zip(_PARTS, context["widget"]["subwidgets"], strict=True):
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            attrs_ = subwidget["attrs"]
            attrs_["class"] = f"govuk-input govuk-date-input__input {width}" + (
                " govuk-input--error" if invalid else ""
            )
            attrs_.pop("aria-describedby", None)
            if id_:
                attrs_["id"] = f"{id_}_{part}"
            subwidget["part"], subwidget["label"] = part, part.capitalize()
        context["widget"]["id"] = id_
        return context


def _label_text(field, default: str = "the date") -> str:
    return str(field.label) if field.label else default


def _lower_first(text: str) -> str:
    """'Date resolved' → 'date resolved', but 'ALMO name' stays as written."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's messages naming the field:
    "Date notice is served must include a month", "… must be a real date".
    """

    widget = GovukDateInput

    def to_python(self, value):
        label = _label_text(self)
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(f"{label} must be a real date", code="invalid") from None
        parts = [str(part or "").strip() for part in value]
        if not any(parts):
            return None
        missing = [name for name, part in zip(_PARTS, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}", code="incomplete")
        day, month, year = parts
        if not year.isdecimal() or len(year) != 4:
            raise ValidationError(f"{label}: the year must include 4 numbers", code="invalid_year")
        month_number = int(month) if month.isdecimal() else _MONTHS.get(month.lower())
        if not day.isdecimal() or month_number is None:
            raise ValidationError(f"{label} must be a real date", code="invalid")
        try:
            return dt.date(int(year), month_number, int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{label} must be a real date", code="invalid") from None

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


def govuk_date_field(field: forms.Field) -> GovukDateField:
    """A ``GovukDateField`` standing in for a Django ``DateField``, keeping what it was given."""
    custom_required = field.error_messages.get("required")
    replacement = GovukDateField(
        required=field.required,
        label=field.label,
        initial=field.initial,
        help_text=field.help_text,
        disabled=field.disabled,
        validators=list(field.validators),
        localize=False,
    )
    if custom_required and str(custom_required) != str(forms.Field.default_error_messages["required"]):
        replacement.error_messages["required"] = custom_required
    replacement.widget.attrs.update({k: v for k, v in field.widget.attrs.items() if k not in ("class", "type")})
    return replacement


# --- Messages that name the field ---------------------------------------------------------

_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def _required_message(field) -> str:
    label = _label_text(field, "this")
    widget = field.widget
    if isinstance(widget, forms.FileInput):
        return f"Select a file for “{_lower_first(label)}”"
    if isinstance(widget, forms.RadioSelect | forms.Select | forms.CheckboxSelectMultiple | forms.SelectMultiple):
        return f"Select {_lower_first(label)}"
    if isinstance(widget, forms.CheckboxInput):
        return f"Tick “{_lower_first(label)}” to continue"
    return f"Enter {_lower_first(label)}"


def _with_field_messages(field) -> None:
    """Django's bare messages ("This field is required.", "Enter a number.") replaced by ones that
    name the field and say what to do, unless the form gave its own."""
    label = _label_text(field, "This")
    defaults = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    if str(field.error_messages.get("required")) == _DJANGO_REQUIRED:
        field.error_messages["required"] = _required_message(field)
    numeric = isinstance(field, forms.DecimalField | forms.FloatField)
    generic = {
        "invalid": f"{label} must be a number" if numeric else f"Enter {_lower_first(label)} in the correct format",
        # formatted with %-params by Django: a "%" in the label must be doubled
        "invalid_choice": _escaped(f"Select {_lower_first(label)} from the list"),
        "invalid_pk_value": _escaped(f"Select {_lower_first(label)} from the list"),
        "invalid_list": f"Select {_lower_first(label)} from the list",
    }
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
        generic["invalid"] = f"{label} must be a whole number"
    if isinstance(field, forms.EmailField):
        generic["invalid"] = f"Enter {_lower_first(label)} in the correct format, like name@example.com"
    if isinstance(field, forms.FileField):
        generic.update(
            invalid=f"{label}: the selected file could not be read",
            missing=f"Select a file for “{_lower_first(label)}”",
            empty=f"{label}: the selected file is empty",
        )
    for code, message in generic.items():
        if code in field.error_messages and str(field.error_messages[code]) == str(defaults.get(code)):
            field.error_messages[code] = message
    field.validators = [_named_validator(v, label) for v in field.validators]


def _escaped(message: str) -> str:
    return message.replace("%", "%%")


def _named_validator(validator, label: str):
    """Django's min/max validators with messages naming the field (formatted with %-params)."""
    limit = getattr(validator, "limit_value", None)
    label = _escaped(label)
    if type(validator) is core_validators.MaxLengthValidator:
        return core_validators.MaxLengthValidator(limit, message=f"{label} must be {limit:,} characters or fewer")
    if type(validator) is core_validators.MinLengthValidator:
        return core_validators.MinLengthValidator(limit, message=f"{label} must be {limit:,} characters or more")
    if type(validator) is core_validators.MinValueValidator:
        return core_validators.MinValueValidator(limit, message=f"{label} must be {limit} or more")
    if type(validator) is core_validators.MaxValueValidator:
        return core_validators.MaxValueValidator(limit, message=f"{label} must be {limit} or less")
    return validator


#: The longest free text any form takes when its field sets no limit of its own.
FREE_TEXT_MAX_LENGTH = LONG_TEXT


def _with_max_length(field) -> None:
    """Every free-text field has a maximum length (ASVS V2.2.1). A textarea carries no ``maxlength``
    attribute: the browser would cut pasted text silently; the server's message says what to do."""
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = FREE_TEXT_MAX_LENGTH
        field.validators.append(core_validators.MaxLengthValidator(FREE_TEXT_MAX_LENGTH))
    if isinstance(field.widget, forms.Textarea):
        field.widget.attrs.pop("maxlength", None)


class GovukFormMixin:
    """Adds GOV.UK classes to widgets (and error classes to fields that failed), uses the GOV.UK
    date input for every date, and gives every field messages that name it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_fields()

    def _prepare_fields(self):
        """GOV.UK classes, the date input and messages naming the field, for every field once —
        including fields a subclass adds after ``__init__`` (prepared when first shown or cleaned)."""
        for name, field in list(self.fields.items()):
            if getattr(field, "_govuk_prepared", False):
                continue
            if not field.label:
                field.label = pretty_name(name)
            if type(field) is forms.DecimalField:
                field.__class__ = FiniteDecimalField
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                field = self.fields[name] = govuk_date_field(field)
            _with_max_length(field)
            _with_field_messages(field)
            field._govuk_prepared = True
            if isinstance(field.widget, GovukDateInput):
                continue
            css = govuk_widget_class(field.widget)
            existing = field.widget.attrs.get("class", "").split()
            if css not in existing:
                field.widget.attrs["class"] = " ".join([*existing, css])

    def __getitem__(self, name):
        self._prepare_fields()
        return super().__getitem__(name)

    def full_clean(self):
        self._prepare_fields()
        super().full_clean()
        self._mark_fields_in_error()

    def add_error(self, field, error):
        """Errors added after cleaning (a service's ``ValidationError``) mark their fields too."""
        super().add_error(field, error)
        if hasattr(self, "cleaned_data"):
            self._mark_fields_in_error()

    def _mark_fields_in_error(self):
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                css = govuk_widget_class(widget)
                if isinstance(widget, GovukDateInput):
                    css, error_css = "", "govuk-input--error"
                else:
                    error_css = _ERROR_CLASSES.get(css)
                classes = widget.attrs.get("class", "").split()
                if error_css and error_css not in classes:
                    # fields a subclass adds after __init__ have no class yet
                    widget.attrs["class"] = " ".join(
                        [*classes, *([css] if css and css not in classes else []), error_css]
                    )
                # Keep the hint linked as well as the error (GOV.UK: hint id, then error id).
                bound = self[name]
                ids = [f"{bound.auto_id}_helptext"] if self.fields[name].help_text else []
                widget.attrs["aria-describedby"] = " ".join([*ids, f"{bound.auto_id}-error"])


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
