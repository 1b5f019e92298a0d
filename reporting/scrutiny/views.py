"""Thin views for the tenant scrutiny panel: its dashboard, challenges, responses and escalation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import TemplateView

from almo_sla.access import can
from almo_sla.form_pages import FormPage
from reporting.complaints import selectors as complaint_selectors
from reporting.public import selectors as public_selectors
from reporting.scrutiny import selectors, services
from reporting.scrutiny.forms import ChallengeForm, ChallengeResponseForm, EscalateForm
from services.roles import profile_of


def panel_dashboard_context(user) -> dict:
    """The panel member's dashboard: their challenges and where each stands, with the counts."""
    almo = profile_of(user).almo
    today = timezone.localdate()
    challenges = list(selectors.challenge_list(user=user)[:50])
    return {
        "almo": almo,
        "challenges": challenges,
        "counts": selectors.challenge_counts(almo=almo, today=today),
        "escalatable": [c for c in challenges if can(user, "reporting.escalate_challenge", c)],
        "can_raise": can(user, "reporting.add_challenge", almo),
        "today": today,
    }


def tenant_tasks(*, user, today) -> dict:
    """The dashboard's task list: the panel's challenges awaiting this coordinator's response, and complaint
    steps past their Complaint Handling Code date (three queries)."""
    challenges = []
    if can(user, "reporting.list_challenges"):
        challenges = [
            c
            for c in selectors.challenge_list(user=user)
            .filter(status="awaiting", escalated_on__isnull=True)
            .order_by("response_due")[:20]
            if can(user, "reporting.respond_challenge", c)
        ]
    overdue = []
    if can(user, "reporting.list_complaints"):
        open_complaints = (
            complaint_selectors.complaint_list(user=user).filter(stages__responded_on__isnull=True).distinct()[:200]
        )
        overdue = complaint_selectors.overdue_steps(complaints=open_complaints, today=today)[:20]
    publish = None
    profile = profile_of(user)
    almo = profile.almo if profile and profile.almo_id else None
    if almo is not None and can(user, "reporting.publish_performance", almo):
        ready = [p.quarter for p in public_selectors.unpublished_quarters(almo=almo, with_waiting=False) if p.ready]
        publish = {"almo": almo, "ready": ready} if ready else None
    return {"challenges": challenges, "complaint_steps": overdue, "publish": publish, "today": today}


class ChallengeListView(TemplateView):
    template_name = "reporting/scrutiny/challenge_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "reporting.list_challenges"):
            raise PermissionDenied
        profile = profile_of(user)
        almo = profile.almo if profile else None
        return super().get_context_data(
            challenges=list(selectors.challenge_list(user=user)[:200]),
            can_raise=almo is not None and can(user, "reporting.add_challenge", almo),
            today=timezone.localdate(),
            **kwargs,
        )


class ChallengeCreateView(FormPage):
    template_name = "reporting/scrutiny/challenge_form.html"
    form_class = ChallengeForm
    perm = "reporting.add_challenge"  # on the panel member's ALMO
    context_object_name = "almo"

    def get_object(self):
        profile = profile_of(self.request.user)
        self.almo = profile.almo if profile else None
        return self.almo

    def has_permission(self):
        return self.almo is not None and super().has_permission()

    def get_form_kwargs(self):
        schedules = selectors.challengeable_schedules(user=self.request.user, almo=self.almo)
        return super().get_form_kwargs() | {"schedules": schedules}

    def write(self, form):
        data = form.cleaned_data
        return services.challenge_raise(
            by=self.request.user,
            almo=self.almo,
            schedule=data["schedule"],
            standard=data["standard"],
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
        )

    def get_success_message(self, challenge):
        return f"Sent to the coordinator, who must respond by {challenge.response_due:%-d %B %Y}."


class ChallengeDetailView(TemplateView):
    template_name = "reporting/scrutiny/challenge_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        challenge = selectors.challenge_get(user=user, pk=self.kwargs["pk"])
        return super().get_context_data(
            challenge=challenge,
            overdue=challenge.is_overdue(),
            today=timezone.localdate(),
            can_respond=can(user, "reporting.respond_challenge", challenge),
            can_escalate=can(user, "reporting.escalate_challenge", challenge),
            **kwargs,
        )


class ChallengeFormView(FormPage):
    """A form about one challenge: loaded once through ``challenge_get``, which asks ``challenge_perm``
    (404 if unseen, 403 without it); 403 too when the challenge's state does not allow the step."""

    perm = None  # asked by ``selectors.challenge_get`` with ``challenge_perm``
    challenge_perm = ""
    context_object_name = "challenge"

    def get_object(self):
        self.challenge = selectors.challenge_get(user=self.request.user, pk=self.kwargs["pk"], perm=self.challenge_perm)
        return self.challenge

    def has_permission(self):
        return self.state_allows(self.challenge)  # checked here too: superusers pass every rule

    def state_allows(self, challenge) -> bool:
        return True

    def get_success_url(self, result):
        return self.challenge


class ChallengeRespondView(ChallengeFormView):
    template_name = "reporting/scrutiny/challenge_respond.html"
    form_class = ChallengeResponseForm
    challenge_perm = "reporting.respond_challenge"
    success_message = "Your response has been sent to the panel."

    def state_allows(self, challenge) -> bool:
        return challenge.awaits_response

    def write(self, form):
        data = form.cleaned_data
        services.challenge_respond(
            challenge=self.challenge,
            by=self.request.user,
            accept=data["decision"] == "accept",
            response=data["response"],
            action=data["action"],
            action_owner=data["action_owner"],
            action_due=data["action_due"],
        )


class ChallengeEscalateView(ChallengeFormView):
    template_name = "reporting/scrutiny/challenge_escalate.html"
    form_class = EscalateForm
    challenge_perm = "reporting.escalate_challenge"
    success_message = "Escalated to the board: it will be in the next board pack."

    def state_allows(self, challenge) -> bool:
        return challenge.may_be_escalated()

    def write(self, form):
        services.challenge_escalate(challenge=self.challenge, by=self.request.user, reason=form.cleaned_data["reason"])
