"""Forms for costs, value for money and notice planning (GOV.UK rendering)."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from almo_sla.forms import GovukFormMixin
from services.models import Benchmark, MarketTest, Service


class CostFilterForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    category = forms.ChoiceField(label="Service category", required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}/{str(y + 1)[-2:]}") for y in years]
        self.fields["category"].choices = [("", "All categories"), *Service.Category.choices]


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
            "amount": {"required": "Enter the amount in pounds.", "invalid": "Enter the amount as a number, like 280000."},
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


class ServedOnForm(GovukFormMixin, forms.Form):
    """The exit planner's 'what if notice were served on…' date."""

    served_on = forms.DateField(label="If notice were served on", widget=forms.DateInput(format="%Y-%m-%d"), required=False)


class ServeNoticeForm(GovukFormMixin, forms.Form):
    served_on = forms.DateField(
        label="Date notice is served",
        widget=forms.DateInput(format="%Y-%m-%d"),
        help_text="Today, or the date the letter was sent.",
        error_messages={"required": "Enter the date notice is served.", "invalid": "Enter a real date."},
    )
    reason = forms.CharField(
        label="Reason for serving notice",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for serving notice."},
    )
