"""Making and revoking a user's API token."""

from django.db import transaction

from api.models import ApiToken, hash_token


@transaction.atomic
def token_create(*, user) -> str:
    """A new token for the user (any old one stops working); returns the key, which is not stored."""
    key = ApiToken.new_key()
    ApiToken.objects.filter(user=user).delete()
    ApiToken.objects.create(user=user, key_hash=hash_token(key), key_start=key[:10])
    return key


def token_revoke(*, user) -> bool:
    return bool(ApiToken.objects.filter(user=user).delete()[0])
