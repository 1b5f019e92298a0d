from django import template
from django.urls import reverse
from django.utils.html import format_html

from services.glossary import GLOSSARY

register = template.Library()


@register.simple_tag
def glossary(slug: str, text: str = ""):
    """A link to the glossary entry: ``{% glossary "rag" "RAG" %}``."""
    term = GLOSSARY[slug][0]
    return format_html(
        '<a class="govuk-link app-glossary-link" href="{}#{}" title="{}">{}</a>',
        reverse("glossary"),
        slug,
        f"What {term} means",
        text or term,
    )
