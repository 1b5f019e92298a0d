"""Thin views for complaints: list (with overdue steps), record, one complaint, and each step."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from almo_sla.access import can
from almo_sla.form_pages import FormPage
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


class ComplaintCreateView(FormPage):
    template_name = "reporting/complaints/complaint_form.html"
    form_class = ComplaintForm
    perm = "reporting.add_complaint"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"schedules": selectors.complaint_schedules(user=self.request.user)}

    def write(self, form):
        return services.complaint_record(by=self.request.user, **form.cleaned_data)

    def get_success_message(self, complaint):
        stage = complaint.stages.get()
        return f"Complaint {complaint.reference} recorded: acknowledge it by {stage.acknowledge_due:%-d %B %Y}."


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


class ComplaintStepView(FormPage):
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

    perm = None  # asked by ``selectors.complaint_get`` with the step's rule
    context_object_name = "complaint"

    def get_object(self):
        step = self.kwargs["step"]
        if step not in self.STEPS:
            raise Http404("No such step.")
        self.form_class, self.service, perm, self.heading, self.done = self.STEPS[step]
        self.complaint = selectors.complaint_get(user=self.request.user, pk=self.kwargs["pk"], perm=perm)
        return self.complaint

    def has_permission(self):
        """The state each step needs, checked here as well because superusers pass every rule."""
        stage, step = self.complaint.current_stage, self.kwargs["step"]
        if step == "stage-2":
            return self.complaint.may_go_to_stage_two
        return stage.responded_on is None and (stage.acknowledged_on is None) == (step == "acknowledge")

    def get_context_data(self, **kwargs):
        return super().get_context_data(stage=self.complaint.current_stage, heading=self.heading, **kwargs)

    def write(self, form):
        self.service(complaint=self.complaint, by=self.request.user, **form.cleaned_data)
        return self.complaint

    def get_success_message(self, result):
        return self.done
