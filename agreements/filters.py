import django_filters
from django.db.models import Q

from agreements.models import Agreement, Schedule
from almo_sla.forms import GovukFilterForm
from services.models import Department

NOTICE_BANDS = {
    "up_to_3": ("Up to 3 months", Q(notice_period_months__lte=3)),
    "4_to_6": ("4 to 6 months", Q(notice_period_months__gte=4, notice_period_months__lte=6)),
    "7_to_12": ("7 to 12 months", Q(notice_period_months__gte=7, notice_period_months__lte=12)),
    "over_12": ("More than 12 months", Q(notice_period_months__gt=12)),
}
COST_BANDS = {
    "under_100k": ("Under £100,000", (None, 100_000)),
    "100k_500k": ("£100,000 to £499,999", (100_000, 500_000)),
    "500k_1m": ("£500,000 to £999,999", (500_000, 1_000_000)),
    "1m_plus": ("£1,000,000 or more", (1_000_000, None)),
}
HRA_CHOICES = [("yes", "Yes"), ("no", "No")]


def _cost_q(field, band):
    low, high = COST_BANDS[band][1]
    q = Q()
    if low is not None:
        q &= Q(**{f"{field}__gte": low})
    if high is not None:
        q &= Q(**{f"{field}__lt": high})
    return q


class AgreementFilter(django_filters.FilterSet):
    """Filters on schedules use subqueries, so the per-agreement totals are not multiplied by joins."""

    q = django_filters.CharFilter(label="Reference or title", method="filter_q")
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices, empty_label="Any status")
    department = django_filters.ModelChoiceFilter(
        label="Department", queryset=Department.objects.all(), method="filter_department", empty_label="Any department"
    )
    hra_funded = django_filters.ChoiceFilter(
        label="Has HRA-funded services", choices=HRA_CHOICES, method="filter_hra", empty_label="Either"
    )
    notice_period = django_filters.ChoiceFilter(
        label="Has a service with a notice period of",
        choices=[(k, v[0]) for k, v in NOTICE_BANDS.items()],
        method="filter_notice",
        empty_label="Any notice period",
    )
    cost_band = django_filters.ChoiceFilter(
        label="Total annual cost",
        choices=[(k, v[0]) for k, v in COST_BANDS.items()],
        method="filter_cost",
        empty_label="Any cost",
    )

    class Meta:
        form = GovukFilterForm
        model = Agreement
        fields = ["q", "status", "department", "hra_funded", "notice_period", "cost_band"]

    def _with_schedules(self, queryset, q):
        return queryset.filter(pk__in=Schedule.objects.filter(q).values("agreement_id"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def filter_department(self, queryset, name, value):
        return self._with_schedules(queryset, Q(service__department=value))

    def filter_hra(self, queryset, name, value):
        if value == "yes":
            return self._with_schedules(queryset, Q(service__hra_funded=True))
        return queryset.exclude(pk__in=Schedule.objects.filter(service__hra_funded=True).values("agreement_id"))

    def filter_notice(self, queryset, name, value):
        return self._with_schedules(queryset, NOTICE_BANDS[value][1])

    def filter_cost(self, queryset, name, value):
        return queryset.filter(_cost_q("total_annual_cost", value))


class ScheduleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Service or agreement", method="filter_q")
    status = django_filters.ChoiceFilter(
        label="Agreement status",
        field_name="agreement__status",
        choices=Agreement.Status.choices,
        empty_label="Any status",
    )
    department = django_filters.ModelChoiceFilter(
        label="Department",
        queryset=Department.objects.all(),
        field_name="service__department",
        empty_label="Any department",
    )
    hra_funded = django_filters.ChoiceFilter(
        label="HRA-funded", choices=HRA_CHOICES, method="filter_hra", empty_label="Either"
    )
    notice_period = django_filters.ChoiceFilter(
        label="Notice period",
        choices=[(k, v[0]) for k, v in NOTICE_BANDS.items()],
        method="filter_notice",
        empty_label="Any notice period",
    )
    cost_band = django_filters.ChoiceFilter(
        label="Annual cost",
        choices=[(k, v[0]) for k, v in COST_BANDS.items()],
        method="filter_cost",
        empty_label="Any cost",
    )

    class Meta:
        form = GovukFilterForm
        model = Schedule
        fields = ["q", "status", "department", "hra_funded", "notice_period", "cost_band"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(service__name__icontains=value)
            | Q(agreement__reference__icontains=value)
            | Q(agreement__title__icontains=value)
        )

    def filter_hra(self, queryset, name, value):
        return queryset.filter(service__hra_funded=(value == "yes"))

    def filter_notice(self, queryset, name, value):
        return queryset.filter(NOTICE_BANDS[value][1])

    def filter_cost(self, queryset, name, value):
        return queryset.filter(_cost_q("annual_cost", value))
