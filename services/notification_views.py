"""The "Your notification settings" page: how a person gets e-mails, and the last ones sent to them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from almo_sla.forms import GovukFormMixin
from services import notifications
from services.models import Notification, Profile
from services.roles import profile_of

RECENT = 20


class NotificationSettingsForm(GovukFormMixin, forms.Form):
    delivery = forms.ChoiceField(
        label="How do you want to get notification e-mails?",
        choices=Profile.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to get notification e-mails"},
        help_text="A summary comes once a day, in the morning, and lists everything since the last one.",
    )


class NotificationSettingsView(FormView):
    form_class = NotificationSettingsForm
    template_name = "services/notification_settings.html"

    def dispatch(self, request, *args, **kwargs):
        self.profile = profile_of(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"delivery": self.profile.notification_delivery if self.profile else Profile.Delivery.IMMEDIATE}

    def get_context_data(self, **kwargs):
        recent = (
            Notification.objects.filter(recipient=self.request.user)
            .only("subject", "url", "created_at", "sent_at", "delivery", "failure_reason", "event")
            .order_by("-created_at", "-pk")[:RECENT]
        )
        return super().get_context_data(profile=self.profile, recent=list(recent), **kwargs)

    def form_valid(self, form):
        if self.profile is None:
            form.add_error(None, "Your account has no role yet, so there is nothing to send you. Ask an administrator.")
            return self.form_invalid(form)
        notifications.delivery_preference_set(profile=self.profile, delivery=form.cleaned_data["delivery"])
        label = Profile.Delivery(form.cleaned_data["delivery"]).label
        messages.success(self.request, f"Saved: {label[0].lower()}{label[1:]}.")
        return redirect("notification_settings")
