"""Forms for improvement plans: GOV.UK markup, day/month/year dates."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from almo_sla.date_input import GovukDateField, govuk_formfield
from almo_sla.forms import GovukFormMixin
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementStatus,
    ImprovementTask,
    KeyTheme,
    PerformanceIndicator,
    QuickWin,
    ResourceAllocation,
    Risk,
    SteeringGroup,
    SteeringGroupMember,
)
from services.models import Almo
from services.roles import almo_id_of, is_administrator


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class PlanForm(GovukModelForm):
    class Meta:
        model = ImprovementPlan
        fields = ["almo", "title", "review_name", "summary", "starts_on", "ends_on", "risk_threshold"]
        formfield_callback = govuk_formfield

    def __init__(self, *args, almos=None, **kwargs):
        super().__init__(*args, **kwargs)
        if almos is not None and len(almos) == 1 and not self.instance.pk:
            self.instance.almo = almos[0]  # a coordinator's plan is for their own ALMO
            almos = None
        if almos is None:
            del self.fields["almo"]
        else:
            self.fields["almo"].queryset = almos
            self.fields["almo"].label = "ALMO"


class ThemeForm(GovukModelForm):
    class Meta:
        model = KeyTheme
        fields = ["number", "title", "priority", "description"]
        widgets = {"priority": forms.RadioSelect}


class ImprovementForm(GovukModelForm):
    standards = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        template_name="forms/govuk_checkboxes_field.html",
        label="Agreement standards this improvement should move",
        help_text="Their RAG and trend show on the improvement; the improvement shows on their schedule.",
    )

    class Meta:
        model = Improvement
        fields = ["reference", "title", "issue", "outcome", "lead_officer", "target_date", "status", "completed_on"]
        formfield_callback = govuk_formfield
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, standards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standards"].queryset = standards
        self.fields["standards"].label_from_instance = lambda s: (
            f"{s.schedule.service.name}: {s.title} ({s.schedule.agreement.reference})"
        )
        if self.instance.pk:
            self.fields["standards"].initial = list(self.instance.standards.all())
            del self.fields["target_date"]  # changed with its reason on its own page


class TargetDateForm(GovukFormMixin, forms.Form):
    new_date = GovukDateField(label="New target date")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Why the date is changing.")
    agreed_by = forms.CharField(max_length=200, label="Who agreed it", help_text="For example: Parent Board.")
    agreed_on = GovukDateField(label="Date agreed")


class ProgressForm(GovukFormMixin, forms.Form):
    body = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(choices=ImprovementStatus.choices, widget=forms.RadioSelect)
    completed_on = GovukDateField(
        label="Date completed", required=False, help_text="Only when done. Leave blank for today."
    )


class TaskForm(GovukModelForm):
    class Meta:
        model = ImprovementTask
        fields = ["description", "due_date", "done_on", "position"]
        formfield_callback = govuk_formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ResourceForm(GovukModelForm):
    class Meta:
        model = ResourceAllocation
        fields = ["post", "headcount", "percent_of_time", "starts_on", "ends_on", "note"]
        formfield_callback = govuk_formfield


class RiskForm(GovukModelForm):
    class Meta:
        model = Risk
        fields = ["area", "impact_level", "likelihood", "impact", "consequences", "mitigation", "owner", "review_date"]
        formfield_callback = govuk_formfield
        widgets = {"area": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = [("", "Not scored")] + [(n, str(n)) for n in range(1, 6)]
        self.fields["likelihood"] = forms.TypedChoiceField(
            choices=scale,
            coerce=int,
            empty_value=None,
            required=False,
            help_text=Risk._meta.get_field("likelihood").help_text,
        )
        self.fields["impact"] = forms.TypedChoiceField(
            choices=scale,
            coerce=int,
            empty_value=None,
            required=False,
            help_text=Risk._meta.get_field("impact").help_text,
        )
        self.fields["impact_level"].choices = [("", "Not used")] + list(Risk.Impact.choices)
        for name in ("likelihood", "impact", "impact_level"):
            self.fields[name].widget.attrs["class"] = "govuk-select"


class IndicatorForm(GovukModelForm):
    class Meta:
        model = PerformanceIndicator
        fields = [
            "code",
            "title",
            "unit",
            "direction",
            "baseline_year",
            "baseline",
            "baseline_note",
            "standard",
            "footnote",
            "position",
        ]

    def __init__(self, *args, standards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards
        self.fields["standard"].label_from_instance = lambda s: (
            f"{s.schedule.service.name}: {s.title} ({s.schedule.agreement.reference})"
        )


class TargetRowForm(GovukFormMixin, forms.Form):
    financial_year = forms.IntegerField(min_value=2000, max_value=2100, required=False, label="Financial year starting")
    value = forms.DecimalField(max_digits=12, decimal_places=2, required=False, label="Target", min_value=Decimal("0"))
    note = forms.CharField(max_length=300, required=False, label="Footnote")

    def clean(self):
        data = super().clean()
        if data.get("financial_year") and data.get("value") is None:
            self.add_error("value", "Enter the target for this year.")
        if data.get("value") is not None and not data.get("financial_year"):
            self.add_error("financial_year", "Enter the year this target is for.")
        return data


TargetFormSet = forms.formset_factory(TargetRowForm, extra=0, max_num=12, absolute_max=12)


class SteeringGroupForm(GovukModelForm):
    class Meta:
        model = SteeringGroup
        fields = ["name", "themes", "remit"]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = KeyTheme.objects.filter(plan=plan).order_by("number")
        self.fields["themes"].required = False
        self.fields["themes"].template_name = "forms/govuk_checkboxes_field.html"


class MemberForm(GovukModelForm):
    class Meta:
        model = SteeringGroupMember
        fields = ["name", "kind", "organisation"]
        widgets = {"kind": forms.RadioSelect}


class QuickWinForm(GovukModelForm):
    class Meta:
        model = QuickWin
        fields = ["title", "owner", "due_date", "done_on"]
        formfield_callback = govuk_formfield


def almo_choices(user):
    if is_administrator(user):
        return Almo.objects.order_by("name")
    return Almo.objects.filter(pk=almo_id_of(user))
