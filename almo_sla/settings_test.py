"""Settings for the test suite: the project's settings with a fast password hasher.

PBKDF2 costs ~0.2 CPU seconds a sign-in by design; tests sign in hundreds of times. Production
and the benchmarks keep the real hasher (``almo_sla.settings``).
"""

from almo_sla.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Rendered pack parts are cached in the test process only (a cache left on disk by an earlier
# run of other code could hand a test a stale part).
CACHES = {
    **CACHES,  # noqa: F405
    "board_packs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "board-pack-parts"},
}
