from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

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
