import django_filters

from almo_sla.forms import GovukFilterForm
from django.db.models import Q

from agreements.models import Agreement
from services.models import Department


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Reference or title", method="filter_q")
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices, empty_label="Any status")
    department = django_filters.ModelChoiceFilter(
        label="Department",
        queryset=Department.objects.all(),
        field_name="schedules__service__department",
        distinct=True,
        empty_label="Any department",
    )

    class Meta:
        form = GovukFilterForm
        model = Agreement
        fields = ["q", "status", "department"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))
