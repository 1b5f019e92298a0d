"""Deployment checks (``manage.py check --deploy``): links in e-mails need the real site address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "testserver", ""}


@register(Tags.security, deploy=True)
def site_url_is_public(app_configs, **kwargs):
    address = urlsplit(getattr(settings, "SITE_URL", ""))
    if address.hostname in LOCAL_HOSTS or address.hostname is None or address.scheme != "https":
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in e-mails would not reach the service.",
                hint="Set SITE_URL to the https:// address people use, e.g. https://sla.example.gov.uk.",
                id="services.W001",
            )
        ]
    return []
