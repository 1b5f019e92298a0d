"""A version as a PDF for the solicitors (WeasyPrint), fetching only local static files."""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML

from agreements.snapshots import snapshot_total_cost
from almo_sla.pdf import StaticFilesURLFetcher


# Kept under its old name for callers and tests: the fetcher lives in almo_sla.pdf.
LocalStaticFetcher = StaticFilesURLFetcher


def version_pdf(*, agreement, version, snapshot: dict) -> bytes:
    html = render_to_string(
        "agreements/pdf/version.html",
        {"agreement": agreement, "version": version, "snapshot": snapshot, "total_cost": snapshot_total_cost(snapshot)},
    )
    return HTML(string=html, base_url="file:///", url_fetcher=StaticFilesURLFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
