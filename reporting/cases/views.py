"""Pages for escalation procedures, cases, monitoring meetings and service credits. Thin:
load through the selectors (404 / 403), call one service, show its ValidationError."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from agreements.cost_selectors import with_costs
from agreements.models import Standard
from almo_sla.form_pages import FormPage
from reporting.cases import selectors, services
from reporting.cases.credits import service_credits
from reporting.cases.forms import (
    ActionForm,
    AgendaItemForm,
    AttendeeForm,
    CaseOpenForm,
    CloseCaseForm,
    CreditSchemeForm,
    DecisionForm,
    MeetingCreateForm,
    MeetingForm,
    ProcedureStepForm,
    department_choices,
)
from reporting.cases.models import AgendaItem, Attendee, EscalationCase, EscalationStep, MeetingAction
from services.periods import Quarter
from services.roles import Role, department_id_of, role_of


class BaseFormView(FormPage):
    """A case, procedure or meeting form on the shared form template: ``load`` fetches what the
    page needs through the selectors (which ask the rules: 404 / 403), ``save`` calls one service
    and returns where to go."""

    template_name = "reporting/improvement/form.html"
    perm = None  # asked by the selectors in ``load``
    submit = "Save"
    success = "Saved."

    def get_object(self):
        self.load(**self.kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading(), back_url=self.back(), submit=self.submit, **kwargs)

    def write(self, form):
        return self.save(form)

    def get_success_message(self, result):
        return self.success


# --- Cases ----------------------------------------------------------------------------------


class CaseListView(TemplateView):
    template_name = "reporting/cases/case_list.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        if not user.has_perm("reporting.list_escalationcase"):
            raise PermissionDenied
        show_closed = self.request.GET.get("status") == "closed"
        cases = list(
            selectors.case_list(user=user)
            .filter(status=EscalationCase.Status.CLOSED if show_closed else EscalationCase.Status.OPEN)
            .order_by("-opened_on", "-pk")[:200]
        )
        rows = [(c, selectors.current_step(c)) for c in cases]
        return super().get_context_data(
            rows=rows,
            show_closed=show_closed,
            today=today,
            overdue=selectors.overdue_steps(user=user, today=today),
            can_open=selectors.case_agreements(user=user).exists(),
            **kwargs,
        )


class CaseOpenView(BaseFormView):
    form_class = CaseOpenForm
    submit = "Raise the case"
    success = "The case is open at the first step of the procedure."

    def load(self, **kwargs):
        user = self.request.user
        self.agreements = selectors.case_agreements(user=user)
        if not self.agreements.exists():
            raise PermissionDenied
        role = role_of(user)
        if role == Role.COORDINATOR:
            self.directions = [EscalationCase.Direction.AGAINST_COUNCIL]
        elif role == Role.DEPARTMENT_OFFICER:
            self.directions = [EscalationCase.Direction.AGAINST_ALMO]
        else:
            self.directions = [EscalationCase.Direction.AGAINST_COUNCIL, EscalationCase.Direction.AGAINST_ALMO]

    def heading(self):
        return "Raise an escalation case"

    def back(self):
        return reverse("reporting:case_list")

    def get_form_kwargs(self):
        ids = self.agreements.values("pk")
        departments = department_choices(ids)
        standards = Standard.objects.filter(schedule__agreement__in=ids).select_related("schedule__service")
        if role_of(self.request.user) == Role.DEPARTMENT_OFFICER:
            departments = departments.filter(pk=department_id_of(self.request.user))
            standards = standards.filter(schedule__service__department_id=department_id_of(self.request.user))
        return super().get_form_kwargs() | {
            "agreements": self.agreements,
            "directions": self.directions,
            "departments": departments,
            "standards": standards.order_by("schedule__service__name", "position"),
        }

    def save(self, form):
        data = form.cleaned_data
        department = data["department"]
        if role_of(self.request.user) == Role.DEPARTMENT_OFFICER:
            department = form.fields["department"].queryset.first()
        return services.case_open(
            agreement=data["agreement"],
            direction=data["direction"],
            ground=data["ground"],
            reason=data["reason"],
            user=self.request.user,
            department=department,
            standard=data["standard"],
            recovery_quarters=data["recovery_quarters"],
        )


class CaseDetailView(TemplateView):
    template_name = "reporting/cases/case_detail.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        case = selectors.case_get(user=user, pk=self.kwargs["pk"])
        ladder = services.procedure_steps(case.agreement)
        steps = list(case.steps.all())
        reached = {s.position for s in steps}
        current = selectors.current_step(case)
        return super().get_context_data(
            case=case,
            steps=steps,
            current=current,
            today=today,
            ladder=[(s, s.position in reached, current is not None and current.position == s.position) for s in ladder],
            improvements=list(case.improvements.select_related("theme")),
            can_decide=selectors.case_can(user, "reporting.decide_escalationcase", case),
            **kwargs,
        )


class CaseDecideView(BaseFormView):
    form_class = DecisionForm
    submit = "Record the decision"
    success = "The decision is recorded."

    def load(self, **kwargs):
        self.case = selectors.case_get(user=self.request.user, pk=kwargs["pk"], perm="reporting.decide_escalationcase")
        self.step = selectors.current_step(self.case)
        if self.step is None:
            raise Http404("No step is waiting for a decision.")

    def heading(self):
        return f"Step {self.step.position}: {self.step.title}"

    def back(self):
        return self.case.get_absolute_url()

    def get_initial(self):
        return {"decided_on": timezone.localdate()}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"meetings": self.case.agreement.monitoring_meetings.order_by("-held_on")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=f"Case {self.case.pk}: {self.case.subject}", **kwargs)

    def save(self, form):
        services.case_decide(case=self.case, user=self.request.user, **form.cleaned_data)
        return self.case


class CaseCloseView(BaseFormView):
    form_class = CloseCaseForm
    submit = "Close the case"
    success = "The case is closed."

    def load(self, **kwargs):
        self.case = selectors.case_get(user=self.request.user, pk=kwargs["pk"], perm="reporting.close_escalationcase")

    def heading(self):
        return f"Close case {self.case.pk}"

    def back(self):
        return self.case.get_absolute_url()

    def get_initial(self):
        return {"on": timezone.localdate()}

    def save(self, form):
        return services.case_close(case=self.case, user=self.request.user, **form.cleaned_data)


# --- The procedure of an agreement ------------------------------------------------------------


class ProcedureView(TemplateView):
    template_name = "reporting/cases/procedure.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agreement = selectors.procedure_agreement(user=user, pk=self.kwargs["pk"])
        steps = services.procedure_steps(agreement)
        return super().get_context_data(
            agreement=agreement,
            steps=steps,
            is_default=bool(steps) and steps[0].pk is None,
            can_edit=user.has_perm("reporting.change_escalationprocedure", agreement) and agreement.is_editable,
            **kwargs,
        )


class ProcedureStepFormView(BaseFormView):
    form_class = ProcedureStepForm
    success = "The procedure is saved."

    def load(self, **kwargs):
        self.agreement = selectors.procedure_agreement(
            user=self.request.user, pk=kwargs["pk"], perm="reporting.change_escalationprocedure"
        )
        if "position" in kwargs:
            services.procedure_ensure(agreement=self.agreement)
            self.instance = self.agreement.escalation_steps.filter(position=kwargs["position"]).first()
            if self.instance is None:
                raise Http404("No such step.")
        else:
            self.instance = EscalationStep(agreement=self.agreement)

    def heading(self):
        return f"Change step {self.instance.position}" if self.instance.pk else "Add a step to the procedure"

    def back(self):
        return reverse("reporting:procedure", args=[self.agreement.pk])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def save(self, form):
        services.procedure_step_save(step=form.instance, user=self.request.user)
        return self.back()


class ProcedureStepDeleteView(View):
    http_method_names = ["post"]

    def post(self, request, pk, position):
        agreement = selectors.procedure_agreement(user=request.user, pk=pk, perm="reporting.change_escalationprocedure")
        services.procedure_ensure(agreement=agreement)
        step = agreement.escalation_steps.filter(position=position).first()
        if step is None:
            raise Http404("No such step.")
        try:
            services.procedure_step_delete(step=step, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Step “{step.title}” is removed.")
        return redirect("reporting:procedure", pk=agreement.pk)


# --- Service credits ------------------------------------------------------------------------------


class CreditSchemeView(TemplateView):
    template_name = "reporting/cases/credits.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agreement = selectors.procedure_agreement(
            user=user, pk=self.kwargs["pk"], perm="reporting.view_servicecreditscheme"
        )
        scheme = services.credit_scheme_for(agreement)
        raw = self.request.GET.get("year", "")
        if raw and not (raw.isdigit() and 2000 <= int(raw) <= 2100):
            raise Http404("No such year.")
        year = int(raw) if raw else Quarter.containing(timezone.localdate()).year
        critical = list(
            Standard.objects.filter(schedule__agreement=agreement, critical__isnull=False).select_related(
                "schedule__service"
            )
        )
        schedules = with_costs(  # what the one cost rule reads, loaded once
            agreement.schedules.filter(standards__critical__isnull=False).distinct()
        ).select_related("agreement__service_credit_scheme")
        rows = [(s, service_credits(s, year)) for s in schedules] if scheme.enabled else []
        return super().get_context_data(
            agreement=agreement,
            scheme=scheme,
            critical=critical,
            rows=rows,
            year=year,
            year_label=f"{year}/{str(year + 1)[-2:]}",
            totals={k: sum((getattr(c, k) for _s, c in rows), 0) for k in ("charged", "credited", "net")},
            can_edit=user.has_perm("reporting.change_servicecreditscheme", agreement) and agreement.is_editable,
            **kwargs,
        )


class CreditSchemeEditView(BaseFormView):
    form_class = CreditSchemeForm
    success = "The service credit terms are saved."

    def load(self, **kwargs):
        self.agreement = selectors.procedure_agreement(
            user=self.request.user, pk=kwargs["pk"], perm="reporting.change_servicecreditscheme"
        )
        self.scheme = services.credit_scheme_for(self.agreement)

    def heading(self):
        return "Service credits"

    def back(self):
        return reverse("reporting:credits", args=[self.agreement.pk])

    def get_form_kwargs(self):
        standards = (
            Standard.objects.filter(schedule__agreement=self.agreement)
            .select_related("schedule__service", "critical")
            .order_by("schedule__service__name", "position")
        )
        return super().get_form_kwargs() | {"instance": self.scheme, "standards": standards}

    def save(self, form):
        services.credit_scheme_save(
            scheme=form.instance, critical=list(form.cleaned_data["critical"]), user=self.request.user
        )
        return self.back()


# --- Monitoring meetings ----------------------------------------------------------------------------


class MeetingListView(TemplateView):
    template_name = "reporting/cases/meeting_list.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        if not user.has_perm("reporting.list_monitoringmeeting"):
            raise PermissionDenied
        return super().get_context_data(
            meetings=list(selectors.meeting_list(user=user).order_by("-held_on", "-pk")[:100]),
            actions=list(selectors.open_actions(user=user, today=today)[:50]),
            today=today,
            can_add=selectors.meeting_agreements(user=user).exists(),
            **kwargs,
        )


class MeetingCreateView(BaseFormView):
    form_class = MeetingCreateForm
    submit = "Create the meeting and its agenda"
    success = "The meeting is created with an agenda built from the quarter's exceptions."

    def load(self, **kwargs):
        self.agreements = selectors.meeting_agreements(user=self.request.user)
        if not self.agreements.exists():
            raise PermissionDenied

    def heading(self):
        return "Arrange a monitoring meeting"

    def back(self):
        return reverse("reporting:meeting_list")

    def get_form_kwargs(self):
        last = Quarter.containing(timezone.localdate())
        quarters = [last]
        for _ in range(7):
            quarters.append(quarters[-1].previous())
        return super().get_form_kwargs() | {"agreements": self.agreements, "quarters": quarters}

    def get_initial(self):
        return {"quarter": Quarter.containing(timezone.localdate()).previous().slug}

    def save(self, form):
        data = form.cleaned_data
        return services.meeting_create(
            agreement=data["agreement"],
            quarter=data["quarter"],
            held_on=data["held_on"],
            location=data["location"],
            user=self.request.user,
        )


class MeetingDetailView(TemplateView):
    template_name = "reporting/cases/meeting_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = selectors.meeting_get(user=user, pk=self.kwargs["pk"])
        agenda = list(
            meeting.agenda.select_related("case", "improvement", "standard").prefetch_related(
                Prefetch("actions", queryset=MeetingAction.objects.order_by("due_date", "pk"))
            )
        )
        return super().get_context_data(
            meeting=meeting,
            agenda=agenda,
            attendees=list(meeting.attendees.all()),
            actions=list(meeting.actions.select_related("item", "owner_user")),
            today=timezone.localdate(),
            case_steps=list(meeting.case_steps.select_related("case")),
            can_edit=user.has_perm("reporting.change_monitoringmeeting", meeting),
            **kwargs,
        )


class MeetingPartView(BaseFormView):
    """Base for forms about a meeting (its record, agenda items, attendees, actions)."""

    def load_meeting(self, pk):
        self.meeting = selectors.meeting_get(user=self.request.user, pk=pk, perm="reporting.change_monitoringmeeting")

    def back(self):
        return self.meeting.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(caption=str(self.meeting), **kwargs)


class MeetingEditView(MeetingPartView):
    form_class = MeetingForm
    success = "The meeting record is saved."

    def load(self, **kwargs):
        self.load_meeting(kwargs["pk"])

    def heading(self):
        return "Minutes and status"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.meeting}

    def save(self, form):
        return services.meeting_save(meeting=form.instance, user=self.request.user)


class AgendaItemFormView(MeetingPartView):
    form_class = AgendaItemForm
    success = "The agenda item is saved."

    def load(self, **kwargs):
        self.load_meeting(kwargs["pk"])
        if "item_pk" in kwargs:
            self.instance = self.meeting.agenda.filter(pk=kwargs["item_pk"]).first()
            if self.instance is None:
                raise Http404("No such item.")
        else:
            self.instance = AgendaItem(meeting=self.meeting, kind=AgendaItem.Kind.OTHER)

    def heading(self):
        return "Discussion and decision" if self.instance.pk else "Add an agenda item"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def save(self, form):
        services.agenda_item_save(item=form.instance, user=self.request.user)
        return self.back()


class AttendeeFormView(MeetingPartView):
    form_class = AttendeeForm
    submit = "Add attendee"
    success = "The attendee is added."

    def load(self, **kwargs):
        self.load_meeting(kwargs["pk"])
        self.instance = Attendee(meeting=self.meeting)

    def heading(self):
        return "Add an attendee"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def save(self, form):
        services.attendee_save(attendee=form.instance, user=self.request.user)
        return self.back()


class ActionFormView(MeetingPartView):
    form_class = ActionForm
    success = "The action is saved."

    def load(self, **kwargs):
        self.load_meeting(kwargs["pk"])
        if "action_pk" in kwargs:
            self.instance = self.meeting.actions.filter(pk=kwargs["action_pk"]).first()
            if self.instance is None:
                raise Http404("No such action.")
        else:
            self.instance = MeetingAction(meeting=self.meeting)

    def heading(self):
        return "Change the action" if self.instance.pk else "Add an action"

    def get_initial(self):
        item = self.request.GET.get("item")
        return {"item": item} if item and item.isdigit() and not self.instance.pk else {}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance, "meeting": self.meeting}

    def save(self, form):
        services.action_save(action=form.instance, user=self.request.user)
        return self.back()
