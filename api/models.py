"""Per-user API tokens, stored hashed (the token itself is shown once, when it is made)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models

PREFIX = "almo_"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    key_hash = models.CharField(max_length=64, unique=True)
    key_start = models.CharField("first characters", max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self):
        return f"{self.key_start}… ({self.user})"

    @staticmethod
    def new_key() -> str:
        return PREFIX + secrets.token_urlsafe(32)
