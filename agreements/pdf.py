"""A version as a PDF for the solicitors (WeasyPrint), fetching only local static files."""

from __future__ import annotations

from django.template.loader import render_to_string

from agreements.models import Agreement, Approval
from agreements.snapshots import snapshot_terms, snapshot_total_cost

# Kept under its old name for callers and tests: the fetcher lives in almo_sla.pdf.


def _signatories(agreement: Agreement, version, snapshot: dict) -> list[dict]:
    """Who signs for each party (frozen in the version where it holds the names) and any approval recorded."""
    frozen = snapshot["agreement"]
    approvals = {a.party: a for a in version.approvals.select_related("user")}

    def name(field):
        if field in frozen:
            return frozen[field]
        user = getattr(agreement, field)
        return (user.get_full_name() or user.username) if user else ""

    return [
        {
            "party": f"For {agreement.council}",
            "name": name("council_signatory"),
            "approval": approvals.get(Approval.Party.COUNCIL),
        },
        {
            "party": f"For {agreement.almo}",
            "name": name("almo_signatory"),
            "approval": approvals.get(Approval.Party.ALMO),
        },
    ]


def version_pdf(*, agreement, version, snapshot: dict, approvals=None) -> bytes:
    """``approvals`` (the signatories' approvals) are printed at the end of a sealed agreed version."""
    html = render_to_string(
        "agreements/pdf/version.html",
        {
            "agreement": agreement,
            "version": version,
            "snapshot": snapshot,
            "total_cost": snapshot_total_cost(snapshot),
            "terms": snapshot_terms(snapshot),
            "signatories": _signatories(agreement, version, snapshot),
            "approvals": approvals,
        },
    )
    from weasyprint import HTML  # loaded where PDFs are made, not with the URLs (tests/test_startup.py)

    from almo_sla.pdf import StaticFilesURLFetcher

    return HTML(string=html, base_url="file:///", url_fetcher=StaticFilesURLFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )
