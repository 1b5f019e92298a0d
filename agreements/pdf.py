"""A version as a PDF for the solicitors (WeasyPrint), fetching only local static files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from agreements.snapshots import snapshot_total_cost


class LocalStaticFetcher(URLFetcher):
    """Refuses every URL except files under the static directories (no SSRF, no local file reads)."""

    def fetch(self, url, headers=None):
        prefix = f"file://{settings.STATIC_URL if settings.STATIC_URL.startswith('/') else '/' + settings.STATIC_URL}"
        if not url.startswith(prefix):
            raise ValueError(f"Refusing to fetch {url}: only local static files are allowed in PDFs.")
        try:
            path = finders.find(url[len(prefix):].split("?")[0])
        except SuspiciousFileOperation:
            path = None
        if not path:
            raise ValueError(f"No static file for {url}.")
        return super().fetch(Path(path).resolve().as_uri(), headers)


def version_pdf(*, agreement, version, snapshot: dict, approvals=None) -> bytes:
    """``approvals`` (the signatories' approvals) are printed at the end of a sealed agreed version."""
    html = render_to_string(
        "agreements/pdf/version.html",
        {"agreement": agreement, "version": version, "snapshot": snapshot, "total_cost": snapshot_total_cost(snapshot),
         "approvals": approvals},
    )
    return HTML(string=html, base_url="file:///", url_fetcher=LocalStaticFetcher(allowed_protocols=["file"])).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
