"""Storing a finished pack through Django's storage, atomically.

On a local file system the PDF is written to a temporary file in the target directory,
flushed to disk and renamed into place (``os.replace`` is atomic), so a reader never sees
a half-written file. Other storages (object stores) are atomic per upload already.
"""

from __future__ import annotations

import hashlib
import os
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def save_atomically(name: str, data: bytes, storage=None) -> str:
    """Store ``data`` under ``name`` (or a free variant of it); returns the stored name."""
    storage = storage or default_storage
    name = storage.get_available_name(name)
    try:
        path = storage.path(name)
    except NotImplementedError:
        return storage.save(name, ContentFile(data))
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o640)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
