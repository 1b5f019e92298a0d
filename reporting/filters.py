import django_filters
from django.utils import timezone

from almo_sla.forms import GovukFilterForm
from reporting.models import Departure, QuarterlyReturn
from services.models import Department
from services.periods import Quarter


def _quarter_choices():
    q, choices = Quarter.containing(timezone.localdate()), []
    for _ in range(12):
        choices.append((q.slug, q.label))
        q = q.previous()
    return choices


def _filter_quarter(prefix):
    def apply(self, queryset, name, value):
        quarter = Quarter.parse(value)
        return queryset.filter(**{f"{prefix}financial_year": quarter.year, f"{prefix}quarter": quarter.number})

    return apply


def _narrow_departments(filterset, path):
    """Offer only the departments whose returns the user can see."""
    if filterset.request is None:
        return
    from reporting.selectors import visible_return_ids

    visible = QuarterlyReturn.objects.filter(pk__in=visible_return_ids(user=filterset.request.user)).values(
        "department"
    )
    filterset.filters["department"].queryset = Department.objects.filter(pk__in=visible)


OVERDUE, LATE = "overdue", "late"
# The stored statuses, then two about the due date: "Overdue" (not submitted, past its due
# date: ``QuarterlyReturn.objects.overdue``, the twin of ``progress()``) and "Late" (submitted
# after it: ``objects.submitted_late``, the twin of ``is_late``).
STATUS_CHOICES = [
    *QuarterlyReturn.Status.choices,
    (OVERDUE, "Overdue"),
    (LATE, "Submitted late"),
]


class ReturnFilter(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(
        label="Quarter", choices=_quarter_choices, method="filter_period", empty_label="Any quarter"
    )
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="Any department")
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", empty_label="Any status")

    class Meta:
        form = GovukFilterForm
        model = QuarterlyReturn
        fields = ["period", "department", "status"]

    filter_period = _filter_quarter("")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _narrow_departments(self, "department__pk")

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.overdue(timezone.localdate())
        if value == LATE:
            return queryset.submitted_late()
        return queryset.filter(status=value)


class DepartureFilter(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(
        label="Quarter", choices=_quarter_choices, method="filter_period", empty_label="Any quarter"
    )
    department = django_filters.ModelChoiceFilter(
        label="Department",
        queryset=Department.objects.all(),
        field_name="result__quarterly_return__department",
        empty_label="Any department",
    )
    # A text filter, not a select: a large council has hundreds of services (a 659-option
    # select made the page slow and hard to use); works without JavaScript.
    service = django_filters.CharFilter(
        label="Service",
        field_name="result__standard__schedule__service__name",
        lookup_expr="icontains",
        help_text="Part of the service's name, for example: repairs",
    )
    resolved = django_filters.ChoiceFilter(
        label="Resolved",
        choices=[("no", "Open"), ("yes", "Resolved")],
        method="filter_resolved",
        empty_label="Open or resolved",
    )

    class Meta:
        form = GovukFilterForm
        model = Departure
        fields = ["period", "department", "service", "resolved"]

    filter_period = _filter_quarter("result__quarterly_return__")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _narrow_departments(self, "result__quarterly_return__department__pk")

    def filter_resolved(self, queryset, name, value):
        return queryset.filter(resolved=value == "yes")
