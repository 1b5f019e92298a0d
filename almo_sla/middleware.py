from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from services.roles import role_of

_EXEMPT_NAMES = {"two_factor_setup", "two_factor_verify", "logout", "login", "health"}


class TwoFactorMiddleware:
    """Sends signed-in users through the second factor before anything else.

    A user with a confirmed TOTP device must enter a code after signing in. When
    ``TWO_FACTOR_REQUIRED`` is on, users in ``TWO_FACTOR_REQUIRED_ROLES`` without a device
    are sent to set one up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match and match.url_name in _EXEMPT_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"):
            return None
        from django_otp import user_has_device

        if user_has_device(user, confirmed=True):
            return redirect(f"{reverse('two_factor_verify')}?next={request.get_full_path()}")
        if settings.TWO_FACTOR_REQUIRED and role_of(user) in settings.TWO_FACTOR_REQUIRED_ROLES:
            return redirect(reverse("two_factor_setup"))
        return None
