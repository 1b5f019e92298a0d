"""Changing and resetting passwords (Django's views, GOV.UK forms and templates).

Password change: any signed-in user, after the second factor when they have one; the user
is e-mailed and the change logged. Password reset by e-mail: when ``PASSWORD_RESET_ENABLED``
(on when e-mail is configured); resetting does not sign in, so the second factor still applies.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.mail import send_mail
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from almo_sla.forms import GovukFormMixin
from almo_sla.security import client_address, log_value

logger = logging.getLogger("almo_sla.security")


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


def _tell(user, subject: str, body: str) -> None:
    if not user.email:
        return
    try:
        text = f"{body}\n\nIf this was not you, tell an administrator straight away.\n\n{settings.SITE_URL}\n"
        send_mail(subject, text, None, [user.email])
    except Exception:  # noqa: BLE001 - the change stands; the failure to tell is logged
        logger.exception("could not e-mail user=%s about a password change", log_value(user.get_username()))


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        logger.info("password changed user=%s ip=%s", log_value(user.get_username()), client_address(self.request))
        _tell(self.request.user, "Your password was changed", "The password of your account was changed.")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


class _ResetEnabledMixin:
    @method_decorator(login_not_required)
    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_ENABLED:
            raise Http404("Password reset by e-mail is not available.")
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(_ResetEnabledMixin, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        logger.info(
            "password reset requested email=%s ip=%s",
            log_value(form.cleaned_data["email"]),
            client_address(self.request),
        )
        return super().form_valid(form)

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        # links go to the configured site address, never to the request's Host header
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetDoneView(_ResetEnabledMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(_ResetEnabledMixin, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("password reset user=%s ip=%s", log_value(form.user.get_username()), client_address(self.request))
        _tell(form.user, "Your password was reset", "The password of your account was reset from the link we e-mailed.")
        return response


class PasswordResetCompleteView(_ResetEnabledMixin, auth_views.PasswordResetCompleteView):
    pass


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(password_reset_enabled=settings.PASSWORD_RESET_ENABLED, **kwargs)
