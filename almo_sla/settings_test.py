"""Settings for the test suite: the project's settings with a fast password hasher.

PBKDF2 costs ~0.2 CPU seconds a sign-in by design; tests sign in hundreds of times. Production
and the benchmarks keep the real hasher (``almo_sla.settings``).
"""

from almo_sla.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
