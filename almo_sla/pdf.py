"""The one URL fetcher WeasyPrint uses for every PDF (versions, board packs).

A ``weasyprint.urls.URLFetcher`` subclass (WeasyPrint 70 calls ``fetch`` and reads the
fetcher's attributes, so a plain function does not do). It serves our own static files
and ``data:`` URLs, and refuses everything else before any connection or file read: no
SSRF to the network or cloud metadata, no local file disclosure (ASVS V1.3.6 / V15.3.x).
A refused resource raises ``ValueError``: WeasyPrint leaves it out and logs a warning.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher


def _static_prefix() -> str:
    url = settings.STATIC_URL
    return url if url.startswith("/") else f"/{url}"


def static_file_path(url: str) -> Path | None:
    """The file behind ``file:///static/<name>``, if it is one of our static files."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    prefix = _static_prefix()
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(path[len(prefix) :])
    if name.startswith(("..", "/")) or "\x00" in name or name == ".":
        return None
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if not found and settings.STATIC_ROOT:
        try:
            candidate = Path(staticfiles_storage.path(name))
        except (SuspiciousFileOperation, NotImplementedError):
            return None
        found = str(candidate) if candidate.is_file() else None
    return Path(found).resolve() if found else None


class StaticFilesURLFetcher(URLFetcher):
    """Fetches only our static files (and ``data:`` URLs); fails closed for anything else."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allowed_protocols", ["file", "data"])
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 5)
        super().__init__(**kwargs)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_path(url)
        if path is None:
            raise ValueError(f"Refusing to fetch {url[:200]}: PDFs may only use the service's own static files.")
        return super().fetch(path.as_uri(), headers)
