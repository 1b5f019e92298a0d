"""Usernames for users created by single sign-on: the e-mail address, made unique."""

from django.contrib.auth import get_user_model


def username_from_email(email, claims=None):
    base = (email or "").strip().lower()[:140]
    username, n = base, 1
    model = get_user_model()
    while model.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username
