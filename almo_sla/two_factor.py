"""Two-factor authentication with TOTP and backup codes (django-otp).

Who may enrol an authenticator app (ASVS V6.4.x): a user with no second factor yet, right
after signing in; or a user whose session already passed the second factor, after
re-entering their password. A password-only session of a user who has a device is sent to
the code page and can change nothing. Devices are changed in ``almo_sla.otp_devices``,
which logs each change and e-mails the user.
"""

from __future__ import annotations

import base64
import logging

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from almo_sla import otp_devices
from almo_sla.forms import GovukFormMixin
from almo_sla.security import client_address, log_value

logger = logging.getLogger("almo_sla.security")
_NEW_CODES = "two_factor_new_backup_codes"
TOO_MANY = "Too many wrong codes. Wait a minute, then enter the current code from your app."


def _throttled(device) -> bool:
    allowed, _details = device.verify_is_allowed()
    return not allowed


class TokenForm(GovukFormMixin, forms.Form):
    """The first code from a new authenticator app."""

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["token"].widget.attrs["class"] += " govuk-input--width-5"

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Enter the 6 digits shown in your authenticator app.")
        if self.device is None:
            raise forms.ValidationError("Set up an authenticator app first.")
        if _throttled(self.device):
            raise forms.ValidationError(TOO_MANY)
        if not self.device.verify_token(token):
            raise forms.ValidationError("That code is wrong or has expired. Enter the current code from your app.")
        return token


class PasswordForm(GovukFormMixin, forms.Form):
    """Re-enter the password before changing a second factor."""

    password = forms.CharField(
        label="Your password",
        help_text="Enter your password again to confirm it is you.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # authenticate() so that wrong passwords are logged and count towards the lock-out
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError("The password is wrong.")
        return password


class ReauthTokenForm(PasswordForm, TokenForm):
    """Adding an app to an account that already has one: password and the app's first code."""

    field_order = ["password", "token"]

    def __init__(self, *args, request=None, device=None, **kwargs):
        super().__init__(*args, request=request, device=device, **kwargs)

    def clean_token(self):
        if "password" in self.errors:  # do not spend the app's code on a wrong password
            return self.cleaned_data.get("token", "")
        return super().clean_token()


class VerifyForm(GovukFormMixin, forms.Form):
    """A code from an authenticator app, or a backup code."""

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your 8-character backup codes.",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None
        self.fields["token"].widget.attrs["class"] += " govuk-input--width-10"

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split()).replace("-", "").lower()
        if token.isdigit() and len(token) == 6:
            devices = list(otp_devices.authenticator_apps(self.user))
        elif len(token) == 8 and token.isalnum():
            devices = list(StaticDevice.objects.filter(user=self.user, confirmed=True))
        else:
            raise forms.ValidationError(
                "Enter the 6 digits from your authenticator app, or an 8-character backup code."
            )
        if devices and all(_throttled(d) for d in devices):
            raise forms.ValidationError(TOO_MANY)
        for device in devices:
            if not _throttled(device) and device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(
            "That code is wrong or has expired. Enter the current code from your app, or a backup code."
        )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _verify_first(request):
    logger.warning(
        "two-factor change refused: session not verified user=%s path=%s ip=%s",
        log_value(request.user.get_username()),
        log_value(request.path),
        client_address(request),
    )
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.path})}")


@never_cache
@sensitive_post_parameters("token", "password")
def setup(request):
    """Add an authenticator app: show its QR code and key, confirm with a first code.

    Without a second factor yet, the signed-in user may enrol. With one, only a verified
    session may add another, and only with the password again.
    """
    user = request.user
    has_factor = otp_devices.has_second_factor(user)
    if has_factor and not user.is_verified():
        return _verify_first(request)
    device = otp_devices.pending_app(user)
    data = request.POST if request.method == "POST" else None
    form = ReauthTokenForm(data, request=request, device=device) if has_factor else TokenForm(data, device=device)
    if request.method == "POST" and form.is_valid():
        codes = otp_devices.confirm_app(device=device, request=request)
        request.session.cycle_key()
        otp_login(request, device)
        messages.success(request, "Two-factor authentication is set up. You will be asked for a code when you sign in.")
        if codes:
            request.session[_NEW_CODES] = codes
            return redirect("two_factor_backup_codes")
        return redirect("two_factor_manage")
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": qr.svg_data_uri(scale=5, border=2),
            "required": settings.TWO_FACTOR_REQUIRED,
            "adding": has_factor,
        },
    )


@never_cache
@sensitive_post_parameters("token")
def verify(request):
    """Ask a user with a second factor for a code from their app, or a backup code."""
    if not otp_devices.has_second_factor(request.user):
        return redirect("two_factor_setup")
    form = VerifyForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.session.cycle_key()  # a new session id once the second factor is passed (ASVS V7.2.4)
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = otp_devices.backup_codes_left(request.user)
            logger.info(
                "two-factor backup code used user=%s left=%d ip=%s",
                log_value(request.user.get_username()),
                left,
                client_address(request),
            )
            messages.warning(
                request,
                f"You used a backup code. You have {left} left: make new ones under Two-factor authentication.",
            )
        return redirect(_safe_next(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
def manage(request):
    """The user's authenticator apps and backup codes (the middleware asks for a code first)."""
    return render(
        request,
        "registration/two_factor_manage.html",
        {
            "apps": list(otp_devices.authenticator_apps(request.user)),
            "codes_left": otp_devices.backup_codes_left(request.user),
            "has_factor": otp_devices.has_second_factor(request.user),
        },
    )


@never_cache
@sensitive_post_parameters("password")
def remove(request, pk):
    """Remove an authenticator app, after re-entering the password."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True, pk=pk).first()
    if device is None:
        raise Http404
    if not request.user.is_verified():
        return _verify_first(request)
    form = PasswordForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        otp_devices.remove_app(device=device, request=request)
        messages.success(request, f"{device.name} is removed.")
        return redirect("two_factor_manage")
    return render(request, "registration/two_factor_remove.html", {"form": form, "device": device})


@never_cache
@sensitive_post_parameters("password")
def backup_codes(request):
    """Show new backup codes once (just after enrolment), or make a new set after the password."""
    codes = request.session.pop(_NEW_CODES, None)
    if codes:
        return render(request, "registration/two_factor_backup_codes.html", {"codes": codes})
    if not otp_devices.authenticator_apps(request.user).exists():
        return redirect("two_factor_setup")
    if not request.user.is_verified():
        return _verify_first(request)
    form = PasswordForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        codes = otp_devices.new_backup_codes(user=request.user, request=request)
        return render(request, "registration/two_factor_backup_codes.html", {"codes": codes})
    return render(
        request,
        "registration/two_factor_backup_codes_new.html",
        {"form": form, "codes_left": otp_devices.backup_codes_left(request.user)},
    )
