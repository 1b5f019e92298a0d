"""Thin views for complaints: list (with overdue steps), record, one complaint, and each step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from almo_sla.access import can
from almo_sla.forms import add_validation_errors
from reporting.complaints import selectors, services
from reporting.complaints.forms import AcknowledgeForm, ComplaintForm, EscalateForm, ExtendForm, RespondForm


class ComplaintListView(TemplateView):
    template_name = "reporting/complaints/complaint_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "reporting.list_complaints"):
            raise PermissionDenied
        today = timezone.localdate()
        complaints = list(selectors.complaint_list(user=user)[:200])
        return super().get_context_data(
            complaints=complaints,
            overdue=selectors.overdue_steps(complaints=complaints, today=today),
            can_add=can(user, "reporting.add_complaint"),
            today=today,
            **kwargs,
        )


class ComplaintCreateView(FormView):
    template_name = "reporting/complaints/complaint_form.html"
    form_class = ComplaintForm

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, "reporting.add_complaint"):
            raise PermissionDenied
        self.schedules = selectors.complaint_schedules(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"schedules": self.schedules}

    def form_valid(self, form):
        try:
            complaint = services.complaint_record(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        stage = complaint.stages.get()
        messages.success(
            self.request,
            f"Complaint {complaint.reference} recorded: acknowledge it by {stage.acknowledge_due:%-d %B %Y}.",
        )
        return redirect(complaint)


class ComplaintDetailView(TemplateView):
    template_name = "reporting/complaints/complaint_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        complaint = selectors.complaint_get(user=user, pk=self.kwargs["pk"])
        stage = complaint.current_stage
        can_handle = can(user, "reporting.handle_complaint", complaint) and stage.responded_on is None
        return super().get_context_data(
            complaint=complaint,
            stages=list(complaint.stages.all()),
            today=timezone.localdate(),
            can_acknowledge=can_handle and stage.acknowledged_on is None,
            can_extend=can_handle and stage.acknowledged_on is not None,
            can_respond=can_handle and stage.acknowledged_on is not None,
            can_escalate=can(user, "reporting.escalate_complaint", complaint),
            **kwargs,
        )


class ComplaintStepView(FormView):
    """One step on the complaint's current stage: acknowledge, extend, respond, or take it to stage 2."""

    template_name = "reporting/complaints/complaint_step.html"
    STEPS = {
        "acknowledge": (
            AcknowledgeForm,
            services.complaint_acknowledge,
            "reporting.handle_complaint",
            "Record the acknowledgement",
            "Acknowledgement recorded.",
        ),
        "extend": (
            ExtendForm,
            services.complaint_extend,
            "reporting.handle_complaint",
            "Extend the time to respond",
            "New response date recorded.",
        ),
        "respond": (
            RespondForm,
            services.complaint_respond,
            "reporting.handle_complaint",
            "Record the response",
            "Response recorded.",
        ),
        "stage-2": (
            EscalateForm,
            services.complaint_escalate,
            "reporting.escalate_complaint",
            "Take the complaint to stage 2",
            "Stage 2 opened: acknowledge it within 5 working days.",
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in self.STEPS:
            raise Http404("No such step.")
        self.form_class, self.service, perm, self.heading, self.done = self.STEPS[kwargs["step"]]
        self.complaint = selectors.complaint_get(user=request.user, pk=kwargs["pk"], perm=perm)
        stage, step = self.complaint.current_stage, kwargs["step"]
        # the state each step needs, checked here as well because superusers pass every rule
        if step == "stage-2":
            allowed = self.complaint.may_go_to_stage_two
        else:
            allowed = stage.responded_on is None and (stage.acknowledged_on is None) == (step == "acknowledge")
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            complaint=self.complaint, stage=self.complaint.current_stage, heading=self.heading, **kwargs
        )

    def form_valid(self, form):
        try:
            self.service(complaint=self.complaint, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect(self.complaint)
