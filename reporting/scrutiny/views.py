"""Thin views for the tenant scrutiny panel: its dashboard, challenges, responses and escalation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from almo_sla.access import can
from almo_sla.forms import add_validation_errors
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
        ready = [p.quarter for p in public_selectors.unpublished_quarters(almo=almo) if p.ready]
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


class ChallengeCreateView(FormView):
    template_name = "reporting/scrutiny/challenge_form.html"
    form_class = ChallengeForm

    def dispatch(self, request, *args, **kwargs):
        profile = profile_of(request.user)
        self.almo = profile.almo if profile else None
        if self.almo is None or not can(request.user, "reporting.add_challenge", self.almo):
            raise PermissionDenied
        self.schedules = selectors.challengeable_schedules(user=request.user, almo=self.almo)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"schedules": self.schedules}

    def get_context_data(self, **kwargs):
        return super().get_context_data(almo=self.almo, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            challenge = services.challenge_raise(
                by=self.request.user,
                almo=self.almo,
                schedule=data["schedule"],
                standard=data["standard"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Sent to the coordinator, who must respond by {challenge.response_due:%-d %B %Y}.",
        )
        return redirect(challenge)


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


class ChallengeFormView(FormView):
    """A form about one challenge: loads it once, 404 if unseen, 403 without ``perm``."""

    perm = ""

    def dispatch(self, request, *args, **kwargs):
        self.challenge = selectors.challenge_get(user=request.user, pk=kwargs["pk"], perm=self.perm)
        if not self.state_allows(self.challenge):  # checked here too: superusers pass every rule
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def state_allows(self, challenge) -> bool:
        return True

    def get_context_data(self, **kwargs):
        return super().get_context_data(challenge=self.challenge, **kwargs)


class ChallengeRespondView(ChallengeFormView):
    template_name = "reporting/scrutiny/challenge_respond.html"
    form_class = ChallengeResponseForm
    perm = "reporting.respond_challenge"

    def state_allows(self, challenge) -> bool:
        return challenge.awaits_response

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.challenge_respond(
                challenge=self.challenge,
                by=self.request.user,
                accept=data["decision"] == "accept",
                response=data["response"],
                action=data["action"],
                action_owner=data["action_owner"],
                action_due=data["action_due"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your response has been sent to the panel.")
        return redirect(self.challenge)


class ChallengeEscalateView(ChallengeFormView):
    template_name = "reporting/scrutiny/challenge_escalate.html"
    form_class = EscalateForm
    perm = "reporting.escalate_challenge"

    def state_allows(self, challenge) -> bool:
        return challenge.may_be_escalated()

    def form_valid(self, form):
        try:
            services.challenge_escalate(
                challenge=self.challenge, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Escalated to the board: it will be in the next board pack.")
        return redirect(self.challenge)
