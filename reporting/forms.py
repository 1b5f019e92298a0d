"""Forms for filling and reviewing quarterly returns (GOV.UK rendering via GovukFormMixin)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from agreements.models import Agreement, Standard
from almo_sla.forms import GovukFormMixin
from reporting.models import Departure, StandardResult
from services.models import Benchmark, MarketTest
from services.periods import Quarter


class ResultForm(GovukFormMixin, forms.ModelForm):
    """One standard's figure (or milestone outcome) and commentary; fields shown depend on the standard's kind."""

    class Meta:
        model = StandardResult
        fields = ["actual", "milestone_outcome", "delivered_on", "commentary"]
        widgets = {
            "commentary": forms.Textarea(attrs={"rows": 3}),
            "delivered_on": forms.DateInput(),
            "milestone_outcome": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        standard = self.instance.standard
        if standard.kind == Standard.Kind.MEASURED:
            del self.fields["milestone_outcome"], self.fields["delivered_on"]
            unit = standard.get_unit_display()
            self.fields["actual"].label = f"Actual this quarter ({unit})"
            self.fields["actual"].widget.attrs.update(
                {"class": "govuk-input govuk-input--width-5", "inputmode": "decimal"}
            )
            self.fields["actual"].error_messages["invalid"] = (
                f"Enter the actual figure for {standard.title} as a number, like 12.5"
            )
            if self.instance.target_value is not None:
                self.fields[
                    "actual"
                ].help_text = f"Target: {standard.format_value(self.instance.target_value)} ({standard.get_direction_display().lower()})"  # noqa: E501
        else:
            del self.fields["actual"]
            self.fields["milestone_outcome"].label = "Milestone outcome"
            self.fields["milestone_outcome"].choices = StandardResult.MilestoneOutcome.choices
            self.fields["milestone_outcome"].help_text = f"Due {standard.due_date:%-d %B %Y}: {standard.deliverable}"
            self.fields["delivered_on"].label = "Date delivered (if met)"
        self.fields["commentary"].label = "Commentary"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("milestone_outcome") == StandardResult.MilestoneOutcome.MET and "delivered_on" in self.fields:
            if not cleaned.get("delivered_on"):
                self.add_error("delivered_on", "Enter the date the milestone was delivered.")
        return cleaned


class DepartureForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Departure
        fields = [
            "what_happened",
            "cases",
            "reason",
            "remedial_action",
            "owner",
            "target_date",
            "resolved",
            "resolved_on",
        ]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "remedial_action": forms.Textarea(attrs={"rows": 3}),
            "target_date": forms.DateInput(),
            "resolved_on": forms.DateInput(),
        }
        labels = {"what_happened": "What happened", "resolved": "The departure is resolved"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].widget.attrs["class"] += " govuk-input--width-5"


class ResolveForm(GovukFormMixin, forms.Form):
    resolved_on = forms.DateField(label="Date resolved", widget=forms.DateInput())


class ReviewForm(GovukFormMixin, forms.Form):
    class Decision:
        ACCEPT = "accept"
        SEND_BACK = "send_back"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the return"), ("send_back", "Query it back to the department")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you query the return: say what the department needs to explain or correct.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "send_back" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what the department needs to explain or correct.")
        return cleaned


class EvidenceForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF or CSV; smaller than 10 MB.",
    )


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="Upload the completed template", help_text="CSV or Excel (.xlsx).")


def _quarter_choices():
    from django.utils import timezone

    current = Quarter.containing(timezone.localdate())
    quarters, q = [], current.next()
    for _ in range(6):
        quarters.append(q)
        q = q.previous()
    return [(q.slug, q.label) for q in quarters]


class OpenReturnsForm(GovukFormMixin, forms.Form):
    quarter = forms.ChoiceField(label="Quarter")
    agreement = forms.ModelChoiceField(
        label="Agreement",
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="Every active agreement I coordinate",
    )

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = _quarter_choices()
        if agreements is not None:
            self.fields["agreement"].queryset = agreements

    def clean_quarter(self):
        return Quarter.parse(self.cleaned_data["quarter"])


class ThresholdForm(GovukFormMixin, forms.Form):
    threshold = forms.DecimalField(
        label="Flag services costing more than the median by more than (%)",
        min_value=Decimal("0"),
        max_value=Decimal("500"),
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "0.1"}),
    )


class BenchmarkForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Benchmark
        fields = ["kind", "source", "amount", "basis", "unit_name", "units_per_year", "obtained_on", "quality_notes"]
        widgets = {
            "obtained_on": forms.DateInput(format="%Y-%m-%d"),
            "quality_notes": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.Select(),
            "basis": forms.Select(),
        }
        error_messages = {
            "kind": {"required": "Choose the type of evidence."},
            "source": {"required": "Enter who quoted or published it."},
            "amount": {
                "required": "Enter the amount in pounds.",
                "invalid": "Enter the amount as a number, like 280000.",
            },
            "obtained_on": {"required": "Enter the date of the evidence.", "invalid": "Enter a real date."},
        }


class MarketTestForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = MarketTest
        fields = ["status", "decision", "recorded_on", "reason"]
        widgets = {"recorded_on": forms.DateInput(format="%Y-%m-%d"), "reason": forms.Textarea(attrs={"rows": 3})}
        labels = {"decision": "Decision (when the status is 'Decision taken')"}
        error_messages = {
            "status": {"required": "Choose where the market testing stands."},
            "recorded_on": {"required": "Enter the date.", "invalid": "Enter a real date."},
            "reason": {"required": "Enter the reason."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "No decision yet"), *MarketTest.Decision.choices]
        self.fields["recorded_on"].initial = timezone.localdate()
