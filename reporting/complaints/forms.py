"""Forms for complaints (GOV.UK rendering via GovukFormMixin)."""

from __future__ import annotations

from django import forms

from almo_sla.forms import GovukFormMixin
from reporting.complaints.models import Complaint


class ComplaintForm(GovukFormMixin, forms.Form):
    schedule = forms.TypedChoiceField(label="Service complained about", coerce=int, empty_value=None)
    standard = forms.TypedChoiceField(label="Standard (optional)", coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(label="Who is complaining?", choices=Complaint.Source.choices, widget=forms.RadioSelect)
    complainant = forms.CharField(label="Complainant's name or reference (optional)", required=False, max_length=200)
    summary = forms.CharField(label="What the complaint is about", widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(label="Date received", widget=forms.DateInput())

    def __init__(self, *args, schedules, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedules = {s.pk: s for s in schedules}
        self.standards = {st.pk: st for s in schedules for st in s.standards.all()}
        several_almos = len({s.agreement.almo_id for s in schedules}) > 1

        def label(s):
            where = f"{s.agreement.almo.name}, " if several_almos else ""
            return f"{where}{s.service.department.name}: {s.service.name}"

        self.fields["schedule"].choices = [("", "Choose a service")] + [(s.pk, label(s)) for s in schedules]
        self.fields["standard"].choices = [("", "The service as a whole")] + [
            (st.pk, f"{s.service.name}: {st.title}") for s in schedules for st in s.standards.all()
        ]

    def clean(self):
        data = super().clean()
        data["schedule"] = self.schedules.get(data.get("schedule")) if data.get("schedule") else None
        data["standard"] = self.standards.get(data.get("standard")) if data.get("standard") else None
        return data


class AcknowledgeForm(GovukFormMixin, forms.Form):
    acknowledged_on = forms.DateField(label="Date acknowledged", widget=forms.DateInput())


class ExtendForm(GovukFormMixin, forms.Form):
    extended_to = forms.DateField(label="New date for the response", widget=forms.DateInput())
    reason = forms.CharField(label="Why more time is needed", widget=forms.Textarea(attrs={"rows": 3}))


class RespondForm(GovukFormMixin, forms.Form):
    responded_on = forms.DateField(label="Date of the response", widget=forms.DateInput())
    outcome = forms.ChoiceField(choices=Complaint.Outcome.choices, widget=forms.RadioSelect)
    response = forms.CharField(label="Response to the complainant", widget=forms.Textarea(attrs={"rows": 4}))
    remedy = forms.CharField(
        label="Remedy offered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the complaint is upheld or partly upheld.",
    )
    learning = forms.CharField(
        label="What the service has learned", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalateForm(GovukFormMixin, forms.Form):
    requested_on = forms.DateField(label="Date the complainant asked for stage 2", widget=forms.DateInput())
    reason = forms.CharField(label="Why the complainant is not satisfied", widget=forms.Textarea(attrs={"rows": 3}))
