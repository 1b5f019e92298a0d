from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from services.filters import ServiceFilter
from services.selectors import service_list
from services.tables import ServiceTable


class ServiceListView(SingleTableMixin, FilterView):
    table_class = ServiceTable
    filterset_class = ServiceFilter
    template_name = "services/service_list.html"
    table_pagination = {"per_page": 50}  # the table pages the list; paginate_by would count it twice

    def get_queryset(self):
        return service_list()
