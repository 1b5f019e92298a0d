"""The sealed agreed version: download, and what the agreement page says about it."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.views import View

from agreements import sealing, selectors

logger = logging.getLogger(__name__)


def seal_summary(*, user, agreement) -> dict | None:
    """For the agreement page: the agreed version, whether this user may have the sealed PDF, and the fingerprint."""
    version = sealing.agreed_version(agreement)
    if version is None:
        return None
    summary = {"version": version, "can_download": user.has_perm("agreements.view_all_schedules", agreement)}
    try:
        summary["fingerprint"] = sealing.certificate_fingerprint()
        summary["signer"] = sealing.seal_certificate().subject.human_friendly
    except (sealing.SealUnavailable, OSError) as exc:
        logger.error("Seal certificate unavailable: %s", exc)
        summary["unavailable"] = True
    return summary


class SealedPdfView(View):
    """The agreed version sealed with the service's certificate (sealed now if the task has not yet)."""

    def get(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        if not request.user.has_perm("agreements.view_all_schedules", agreement):
            raise PermissionDenied("The sealed agreement holds every department's schedules.")
        version = sealing.agreed_version(agreement)
        if version is None:
            raise Http404("No version has been approved by both signatories.")
        try:
            path = sealing.seal_version(version.pk)
        except sealing.SealUnavailable as exc:
            raise Http404(str(exc)) from exc
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=f"{agreement.reference}-{version.label}-sealed.pdf",
            content_type="application/pdf",
        )
