"""Forms for drafting agreements; GOV.UK rendering through ``GovukFormMixin``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.db.models import Q

from agreements.models import Agreement, Comment, Schedule, Standard, VariationChange
from almo_sla.forms import FiniteDecimalField, GovukFormMixin
from services.models import Service
from services.periods import financial_year_label, financial_year_start


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        title = obj.get_full_name() or obj.username
        profile = getattr(obj, "profile", None)
        where = profile.almo or profile.department if profile else None
        return f"{title} ({where})" if where else title


class AgreementForm(GovukFormMixin, forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agreement
        fields = [
            "title",
            "reference",
            "start_date",
            "end_date",
            "notice_alignment",
            "renewal_term_months",
            "max_renewals",
            "return_due_working_days",
            "council_signatory",
            "almo_signatory",
        ]
        field_classes = {"council_signatory": UserChoiceField, "almo_signatory": UserChoiceField}
        widgets = {"start_date": forms.DateInput, "end_date": forms.DateInput}

    def __init__(self, *args, signatories, **kwargs):
        """``signatories``: (council candidates, ALMO candidates) from ``services.signatory_choices``."""
        super().__init__(*args, **kwargs)
        for name, candidates in zip(("council_signatory", "almo_signatory"), signatories, strict=True):
            self.fields[name].queryset = candidates.select_related("profile__almo", "profile__department")
            self.fields[name].empty_label = "Not named yet"
        self.fields[
            "council_signatory"
        ].help_text = "A council officer with authority to sign service level agreements for the council."
        self.fields[
            "almo_signatory"
        ].help_text = "An officer of the ALMO with authority to sign for it. Neither signatory can be the coordinator."
        if self.instance.pk:
            self.fields["reference"].disabled = True
            self.fields["revision"].initial = self.instance.revision


class AgreementCreateForm(AgreementForm):
    copy_from = forms.ModelChoiceField(
        queryset=Agreement.objects.none(),
        required=False,
        empty_label="Start from a blank agreement",
        label="Start from",
        help_text="Copy the schedules, standards, targets and costs of an existing agreement or a standard template.",
    )
    almo = forms.ModelChoiceField(queryset=None, label="ALMO")

    class Meta(AgreementForm.Meta):
        fields = ["almo", *AgreementForm.Meta.fields]

    def __init__(self, *args, copy_sources=None, almos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = copy_sources
        self.fields["almo"].queryset = almos
        if len(almos) == 1:
            self.fields["almo"].initial = almos[0].pk
        self.order_fields(["copy_from", "almo"])


class ScheduleForm(GovukFormMixin, forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Schedule
        fields = [
            "service",
            "expected_service_level",
            "reporting_what",
            "reporting_frequency",
            "reporting_to",
            "report_departures",
            "notice_period_months",
            "annual_cost",
            "cost_basis",
            "staff_time_share",
            "legal_notes",
            "supersedes",
            "supersedes_from",
            "commercially_confidential",
        ]
        widgets = {
            "supersedes_from": forms.DateInput(format="%Y-%m-%d"),
            "expected_service_level": forms.Textarea(attrs={"rows": 3}),
            "reporting_what": forms.Textarea(attrs={"rows": 2}),
            "legal_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        taken = agreement.schedules.exclude(pk=self.instance.pk).values("service_id")
        self.fields["service"].queryset = (
            Service.objects.filter(department__council_id=agreement.council_id)
            .exclude(pk__in=taken)
            .select_related("department")
            .order_by("department__name", "name")
        )
        self.fields["service"].label_from_instance = lambda s: f"{s.department}: {s.name}"
        # A schedule can replace the same service's schedule in another live agreement of the ALMO.
        self.fields["supersedes"].queryset = (
            Schedule.objects.filter(agreement__almo_id=agreement.almo_id, agreement__status__in=Agreement.LIVE_STATUSES)
            .exclude(agreement_id=agreement.pk)
            .select_related("agreement", "service")
            .order_by("service__name", "agreement__start_date")
        )
        self.fields["supersedes"].label = "Replaces the schedule in an earlier agreement"
        self.fields["supersedes"].empty_label = "Nothing: a new service for this ALMO"
        self.fields["supersedes"].label_from_instance = lambda s: f"{s.service.name} in {s.agreement.reference}"
        if self.instance.pk:
            self.fields["service"].disabled = True
            self.fields["revision"].initial = self.instance.revision


class StandardForm(GovukFormMixin, forms.ModelForm):
    """A standard with one target field per financial year of the agreement."""

    class Meta:
        model = Standard
        fields = ["title", "kind", "unit", "direction", "amber_tolerance", "deliverable", "due_date", "tsm_code"]
        widgets = {"due_date": forms.DateInput, "deliverable": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        existing = {}
        if self.instance.pk:
            existing = {t.effective_from.year: t.value for t in self.instance.targets.all()}
        for year in years:
            self.fields[f"target_{year}"] = FiniteDecimalField(
                label=f"Target for {financial_year_label(year)}",
                required=False,
                max_digits=12,
                decimal_places=2,
                initial=existing.get(year),
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5", "step": "any"}),
                help_text="From 1 April. Leave blank if there is no target that year." if year == years[0] else "",
            )
        for name in ("unit", "direction"):
            self.fields[name].required = False
        self.fields["amber_tolerance"].required = False
        self.fields["amber_tolerance"].help_text = (
            "How far short of target still counts as amber rather than red, in the standard's unit; "
            "for a milestone, how many days late it may be delivered and still be amber."
        )

    def clean(self):
        data = super().clean()
        if data.get("amber_tolerance") is None:
            data["amber_tolerance"] = Decimal("0")
            self.instance.amber_tolerance = Decimal("0")
        if data.get("kind") == Standard.Kind.MEASURED and not self.cleaned_data.get("DELETE"):
            if not any(data.get(f"target_{y}") is not None for y in self.years) and self.has_changed():
                self.add_error(
                    f"target_{self.years[0]}" if self.years else None, "Enter a target for at least one year."
                )
            for y in self.years:
                value = data.get(f"target_{y}")
                if value is not None and value < 0:
                    self.add_error(f"target_{y}", "The target cannot be negative.")
                if value is not None and data.get("unit") == Standard.Unit.PERCENT and value > 100:
                    self.add_error(f"target_{y}", "A target in % must be 100 or less.")
        return data

    def targets(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(f"target_{y}") for y in self.years}


class BaseStandardFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "years": self.years}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            years=self.years,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


StandardFormSet = forms.inlineformset_factory(
    Schedule, Standard, form=StandardForm, formset=BaseStandardFormSet, extra=1, can_delete=True
)


def standard_formset(*, schedule: Schedule, data=None):
    agreement = schedule.agreement
    first = financial_year_start(agreement.start_date)
    last = financial_year_start(agreement.end_date) if agreement.end_date else first + 2
    formset_class = StandardFormSet
    formset_class.years = list(range(first, max(first, last) + 1))[:6]
    queryset = schedule.standards.prefetch_related("targets").order_by("position", "pk")
    return formset_class(data=data, instance=schedule, queryset=queryset, prefix="standards")


class CirculateForm(GovukFormMixin, forms.Form):
    comment_deadline = forms.DateField(
        label="Deadline for comments",
        widget=forms.DateInput,
        help_text="Commenting closes at the end of this day. Reminders go out two working days before.",
    )


class CommentForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["service", "body"]
        labels = {"service": "What are you commenting on?", "body": "Your comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].empty_label = "The whole agreement"
        self.fields["service"].required = False
        self.fields["service"].help_text = "Choose one of the services, or the whole agreement."


class CommentResponseForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["status", "response"]
        labels = {"status": "Decision", "response": "Answer, or reason for rejecting"}
        widgets = {"response": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in Comment.Status.choices if c[0] != Comment.Status.OPEN]


class VariationChangeForm(GovukFormMixin, forms.Form):
    """One change within a proposed variation: a term of a schedule, or a standard's target."""

    schedule = forms.ModelChoiceField(
        queryset=Schedule.objects.none(),
        label="Schedule to change",
        required=False,
        help_text="Leave blank when the change adds a service.",
    )
    field = forms.ChoiceField(choices=VariationChange.Field.choices, label="Term to change")
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        label="Service to add",
        empty_label="Not adding a service",
    )
    added_notice_period_months = forms.IntegerField(
        required=False, min_value=0, max_value=60, label="Notice period of the added service (months)"
    )
    added_service_level = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Expected service level of the added service",
    )
    standard = forms.ModelChoiceField(
        queryset=Standard.objects.none(),
        required=False,
        label="Standard (for a change of target)",
        empty_label="Not a change of target",
        help_text="The new target applies from the effective date; earlier quarters keep the old target.",
    )
    new_value = forms.CharField(
        label="New value",
        max_length=2000,
        help_text="Annual cost in pounds (195000), notice period in months (6), a frequency (monthly, quarterly, "
        "annual), the new target (95), the new wording, or the added service's annual cost. Leave blank to "
        "remove a service.",
        required=False,
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = agreement.schedules.select_related("service").order_by("service__name")
        self.fields["schedule"].label_from_instance = lambda s: s.service.name
        self.fields["schedule"].empty_label = "None (adding a service)"
        self.fields["standard"].queryset = (
            Standard.objects.filter(schedule__agreement=agreement, kind=Standard.Kind.MEASURED)
            .select_related("schedule__service")
            .order_by("schedule__service__name", "position", "pk")
        )
        self.fields["standard"].label_from_instance = lambda s: f"{s.schedule.service.name}: {s.title}"
        self.fields["service"].queryset = (
            Service.objects.filter(department__council_id=agreement.council_id)
            .exclude(pk__in=agreement.schedules.values("service_id"))
            .select_related("department")
            .order_by("department__name", "name")
        )
        self.fields["service"].label_from_instance = lambda s: f"{s.department}: {s.name}"

    def clean(self):
        data = super().clean()
        field = data.get("field")
        if field == VariationChange.Field.ADD_SERVICE:
            if data.get("service") is None:
                self.add_error("service", "Choose the service to add.")
            if data.get("added_notice_period_months") is None:
                self.add_error("added_notice_period_months", "Enter the added service's notice period in months.")
            if not (data.get("added_service_level") or "").strip():
                self.add_error("added_service_level", "Describe the level of service the department will provide.")
            data["schedule"] = None
        elif field and data.get("schedule") is None and "schedule" not in self.errors:
            self.add_error("schedule", "Choose the schedule to change.")
        standard = data.get("standard")
        if data.get("field") == VariationChange.Field.TARGET:
            if standard is None:
                self.add_error("standard", "Choose the standard whose target changes.")
            elif data.get("schedule") is not None and standard.schedule_id != data["schedule"].pk:
                self.add_error("standard", f"Choose a standard of {data['schedule'].service.name}.")
        elif standard is not None:
            self.add_error("standard", "Choose a standard only when the term to change is a target.")
        return data


class VariationForm(VariationChangeForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason for the variation")
    effective_date = forms.DateField(widget=forms.DateInput, label="Takes effect from")
    backdating_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for backdating",
        help_text="Only if the variation takes effect before the current quarter.",
    )


class VariationDecisionForm(GovukFormMixin, forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the variation"), ("reject", "Reject the variation")],
        label="Your decision",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Reason", help_text="Required if you reject it."
    )


class SignoffForm(GovukFormMixin, forms.Form):
    """Approving the final version: carries the version number the signatory read."""

    version_number = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeclineForm(SignoffForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why are you declining this version?",
        help_text="The agreement goes back to draft and the coordinator sees your reason.",
        error_messages={"required": "Give the reason for declining, so the coordinator knows what to change."},
    )


class MoveOnForm(GovukFormMixin, forms.Form):
    """Confirming "Start the next draft" or "Send for sign-off"."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reason for moving on now",
        max_length=2000,
    )


class WithdrawVariationForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is the variation withdrawn?",
        max_length=2000,
        error_messages={"required": "Give the reason for withdrawing the variation."},
    )


def copy_sources(*, user, visible):
    """Agreements the user may copy: those they can see, and the council's standard templates."""
    return Agreement.objects.filter(Q(pk__in=visible.values("pk")) | Q(is_template=True)).select_related("almo")


class CostFilterForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False)
    category = forms.ChoiceField(label="Service category", required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, financial_year_label(y)) for y in years]
        self.fields["category"].choices = [("", "All categories"), *Service.Category.choices]


_EARLIEST_NOTICE_DATE = dt.date(2000, 1, 1)
_LATEST_NOTICE_DATE = dt.date(2099, 12, 31)


def _plausible_notice_date(value: dt.date) -> None:
    if value is not None and not _EARLIEST_NOTICE_DATE <= value <= _LATEST_NOTICE_DATE:
        raise forms.ValidationError(
            f"Enter a date between {_EARLIEST_NOTICE_DATE:%-d %B %Y} and {_LATEST_NOTICE_DATE:%-d %B %Y}."
        )


class ServedOnForm(GovukFormMixin, forms.Form):
    """The exit planner's 'what if notice were served on…' date."""

    served_on = forms.DateField(
        label="If notice were served on",
        widget=forms.DateInput(format="%Y-%m-%d"),
        required=False,
        validators=[_plausible_notice_date],
        error_messages={"invalid": "Enter a real date, like 2026-10-31."},
    )


class ServeNoticeForm(GovukFormMixin, forms.Form):
    served_on = forms.DateField(
        label="Date notice is served",
        widget=forms.DateInput(format="%Y-%m-%d"),
        validators=[_plausible_notice_date],
        help_text="Today, or the date the letter was sent.",
        error_messages={"required": "Enter the date notice is served.", "invalid": "Enter a real date."},
    )
    reason = forms.CharField(
        label="Reason for serving notice",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for serving notice."},
    )
