"""Forms for the tenant scrutiny panel's challenges (GOV.UK rendering via GovukFormMixin)."""

from __future__ import annotations

from django import forms

from almo_sla.forms import GovukFormMixin
from reporting.scrutiny.models import Challenge


class ChallengeForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Is it a challenge or a recommendation?", choices=Challenge.Kind.choices, widget=forms.RadioSelect
    )
    schedule = forms.TypedChoiceField(label="Service", coerce=int, empty_value=None)
    standard = forms.TypedChoiceField(
        label="Standard (optional)",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Leave as 'The service as a whole' if it is not about one standard.",
    )
    title = forms.CharField(label="Summary", max_length=200)
    body = forms.CharField(label="What the panel found and what it asks for", widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, schedules, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedules = {s.pk: s for s in schedules}
        self.standards = {st.pk: st for s in schedules for st in s.standards.all()}
        self.fields["schedule"].choices = [("", "Choose a service")] + [
            (s.pk, f"{s.service.department.name}: {s.service.name}") for s in schedules
        ]
        self.fields["standard"].choices = [("", "The service as a whole")] + [
            (st.pk, f"{s.service.name}: {st.title}") for s in schedules for st in s.standards.all()
        ]

    def clean(self):
        data = super().clean()
        schedule_pk, standard_pk = data.get("schedule"), data.get("standard")
        data["schedule"] = self.schedules.get(schedule_pk) if schedule_pk else None
        data["standard"] = self.standards.get(standard_pk) if standard_pk else None
        if (
            data["standard"] is not None
            and data["schedule"] is not None
            and data["standard"].schedule_id != data["schedule"].pk
        ):
            self.add_error(
                "standard", f"Choose a standard of {data['schedule'].service.name}, or the service as a whole."
            )
        return data


class ChallengeResponseForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your response",
        choices=[("accept", "Accept it, with an action"), ("decline", "Decline it, with reasons")],
        widget=forms.RadioSelect,
    )
    response = forms.CharField(
        label="Response to the panel",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when declining: the reasons.",
    )
    action = forms.CharField(label="Action to be taken", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    action_owner = forms.CharField(label="Who will take the action", required=False, max_length=200)
    action_due = forms.DateField(label="Action target date", required=False, widget=forms.DateInput())


class EscalateForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why the panel is taking this to the board", widget=forms.Textarea(attrs={"rows": 4})
    )
