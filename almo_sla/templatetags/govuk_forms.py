"""Template tags for form pages: ``{% error_title_prefix %}`` puts "Error: " before the page title
whenever a form (or formset) on the page has errors, as the GOV.UK Design System asks, so no
template has to remember it."""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

register = template.Library()


def _has_errors(value, nested: bool = False) -> bool:
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and bool(value.total_error_count())
    if not nested and isinstance(value, list | tuple):  # never a generator: reading it would empty it
        return any(_has_errors(item, nested=True) for item in value)
    return False


def page_has_form_errors(context) -> bool:
    return any(_has_errors(value) for value in context.flatten().values())


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    return "Error: " if page_has_form_errors(context) else ""
