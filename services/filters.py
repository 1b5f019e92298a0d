import django_filters

from almo_sla.forms import GovukFilterForm
from services.models import Department, Service


class ServiceFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Service name", lookup_expr="icontains")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), empty_label="Any department")
    kind = django_filters.ChoiceFilter(label="Type", choices=Service.Kind.choices, empty_label="Any type")
    hra_funded = django_filters.BooleanFilter(
        label="Funded by the Housing Revenue Account",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        form = GovukFilterForm
        model = Service
        fields = ["name", "department", "kind", "hra_funded"]
