from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from agreements.confidential import withhold_confidential_costs
from agreements.selectors import agreement_list
from services.filters import ServiceFilter
from services.selectors import service_list
from services.tables import ServiceTable


class ServiceListView(SingleTableMixin, FilterView):
    table_class = ServiceTable
    filterset_class = ServiceFilter
    template_name = "services/service_list.html"
    paginate_by = 50

    def get_queryset(self):
        return service_list()


class ServiceDetailView(TemplateView):
    template_name = "services/service_detail.html"

    def get_context_data(self, **kwargs):
        service = get_object_or_404(service_list(), pk=self.kwargs["pk"])
        schedules = (
            service.schedules.filter(agreement__in=agreement_list(user=self.request.user).values("pk"))
            .select_related("agreement", "agreement__almo")
            .order_by("-agreement__start_date")
        )
        schedules = withhold_confidential_costs(user=self.request.user, schedules=schedules)
        return super().get_context_data(service=service, schedules=schedules, **kwargs)
