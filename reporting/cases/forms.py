"""Forms for escalation procedures, cases, meetings and service credits (GOV.UK markup)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from almo_sla.date_input import GovukDateField, govuk_formfield
from almo_sla.forms import GovukFormMixin
from reporting.cases.models import (
    AgendaItem,
    Attendee,
    CaseStep,
    EscalationCase,
    EscalationStep,
    MeetingAction,
    MonitoringMeeting,
    ServiceCreditScheme,
)
from services.models import Department
from services.periods import Quarter


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class ProcedureStepForm(GovukModelForm):
    class Meta:
        model = EscalationStep
        fields = ["title", "description", "days_allowed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CaseOpenForm(GovukFormMixin, forms.Form):
    agreement = forms.ModelChoiceField(queryset=None, empty_label=None)
    direction = forms.ChoiceField(
        choices=EscalationCase.Direction.choices, widget=forms.RadioSelect, label="Who raises the case"
    )
    ground = forms.ChoiceField(choices=EscalationCase.Ground.choices, label="Ground", widget=forms.RadioSelect)
    department = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Council department concerned",
        help_text="Required for a case against a council department.",
    )
    standard = forms.ModelChoiceField(queryset=None, required=False, label="Standard (optional)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="What has happened, with dates.")
    recovery_quarters = forms.IntegerField(
        min_value=1,
        max_value=8,
        initial=2,
        label="Quarters green before the case closes by itself",
        help_text="Only for a case about a standard.",
    )

    def __init__(self, *args, agreements, directions, departments, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["direction"].choices = [c for c in EscalationCase.Direction.choices if c[0] in directions]
        if len(directions) == 1:
            self.fields["direction"].initial = directions[0]
        self.fields["department"].queryset = departments
        self.fields["standard"].queryset = standards
        self.fields["standard"].label_from_instance = lambda s: f"{s.schedule.service.name}: {s.title}"
        self.fields["ground"].choices = [
            c for c in EscalationCase.Ground.choices if c[0] != EscalationCase.Ground.RED_TWICE
        ]

    def clean(self):
        data = super().clean()
        standard, agreement = data.get("standard"), data.get("agreement")
        if standard and agreement and standard.schedule.agreement_id != agreement.pk:
            self.add_error("standard", "Choose a standard of the chosen agreement.")
        return data


class DecisionForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(choices=CaseStep.Outcome.choices, widget=forms.RadioSelect, label="Decision")
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What was decided")
    decided_by = forms.CharField(
        max_length=200, label="Decided by", help_text="For example: Head of Property Services and ALMO client officer."
    )
    decided_on = GovukDateField(label="Date decided")
    remedial_plan = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="For a formal improvement notice: the remedial plan.",
    )
    remedial_date = GovukDateField(label="Remedy due by", required=False)
    meeting = forms.ModelChoiceField(queryset=None, required=False, label="Monitoring meeting (optional)")
    new_due_on = GovukDateField(
        label="New date for this step", required=False, help_text="Only when carrying on at this step."
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class CloseCaseForm(GovukFormMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Decision that closes the case")
    decided_by = forms.CharField(max_length=200, label="Decided by")
    on = GovukDateField(label="Date decided")


class MeetingCreateForm(GovukFormMixin, forms.Form):
    agreement = forms.ModelChoiceField(queryset=None, empty_label=None)
    quarter = forms.ChoiceField(label="Quarter reviewed")
    held_on = GovukDateField(label="Meeting date")
    location = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, agreements, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["quarter"].choices = [(q.slug, q.label) for q in quarters]

    def clean_quarter(self):
        return Quarter.parse(self.cleaned_data["quarter"])


class MeetingForm(GovukModelForm):
    class Meta:
        model = MonitoringMeeting
        fields = ["held_on", "location", "status", "minutes"]
        formfield_callback = govuk_formfield
        widgets = {"status": forms.RadioSelect, "minutes": forms.Textarea(attrs={"rows": 8})}


class AgendaItemForm(GovukModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "detail", "decision"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3}), "decision": forms.Textarea(attrs={"rows": 3})}


class AttendeeForm(GovukModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "role", "party", "present"]
        widgets = {"party": forms.RadioSelect}


class ActionForm(GovukModelForm):
    class Meta:
        model = MeetingAction
        fields = ["item", "description", "owner", "owner_user", "due_date", "done_on"]
        formfield_callback = govuk_formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda.all()
        self.fields["item"].label = "Agenda item (optional)"
        # council staff and the meeting's ALMO's people; not another ALMO's
        users = (
            get_user_model()
            .objects.filter(is_active=True, profile__isnull=False)
            .filter(Q(profile__almo__isnull=True) | Q(profile__almo=meeting.agreement.almo_id))
            .order_by("first_name", "last_name")
        )
        self.fields["owner_user"].queryset = users
        self.fields["owner_user"].label = "Owner's user account (optional)"
        self.fields["owner_user"].label_from_instance = lambda u: u.get_full_name() or u.username


class CreditSchemeForm(GovukModelForm):
    critical = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        template_name="forms/govuk_checkboxes_field.html",
        label="Critical standards",
        help_text="Only these earn service credits.",
    )

    class Meta:
        model = ServiceCreditScheme
        fields = ["enabled", "red_percent", "amber_percent", "annual_cap_percent"]

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["critical"].queryset = standards
        self.fields["critical"].initial = [s for s in standards if hasattr(s, "critical")]
        self.fields["critical"].label_from_instance = lambda s: f"{s.schedule.service.name}: {s.title}"


def department_choices(agreement_ids) -> forms.models.QuerySet:
    return Department.objects.filter(services__schedules__agreement__in=agreement_ids).distinct().order_by("name")
