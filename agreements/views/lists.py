"""Lists of agreements and schedules with their exports, and a catalogue service's schedules."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from agreements import selectors
from agreements.confidential import may_see_confidential_costs, withhold_confidential_costs
from agreements.filters import AgreementFilter, ScheduleFilter
from agreements.tables import AgreementTable, ScheduleTable
from almo_sla.access import can
from almo_sla.exports import SafeTableExport, rows_export_response
from services.selectors import service_list


class ExportFormatsMixin(ExportMixin):
    export_class = SafeTableExport  # formulas neutralised
    export_formats = ["csv", "xlsx", "ods"]

    def get_export_filename(self, export_format):
        return f"{self.export_name}-{timezone.localdate():%Y-%m-%d}.{export_format}"


class AgreementListView(ExportFormatsMixin, SingleTableMixin, FilterView):
    table_class = AgreementTable
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    table_pagination = {"per_page": 25}  # the table pages the list; paginate_by would count it twice
    export_name = "agreements"

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=can(self.request.user, "agreements.add_agreement"), **kwargs)


class ScheduleListView(ExportFormatsMixin, SingleTableMixin, FilterView):
    table_class = ScheduleTable
    filterset_class = ScheduleFilter
    template_name = "agreements/schedule_list.html"
    table_pagination = {"per_page": 25}  # the table pages the list; paginate_by would count it twice
    export_name = "schedules"

    def get_queryset(self):
        return selectors.schedules_all(user=self.request.user)

    def create_export(self, export_format):
        """The filtered schedules from the selector's values (not cell by cell through the table)."""
        return rows_export_response(
            headers=selectors.SCHEDULE_EXPORT_HEADERS,
            rows=selectors.schedule_export_rows(  # in the table's order
                schedules=self.get_table().data.data,
                show_confidential_costs=may_see_confidential_costs(self.request.user),
            ),
            export_format=export_format,
            filename=self.get_export_filename(export_format),
        )


class ServiceDetailView(TemplateView):
    """A service of the catalogue (path ``/services/<id>/``) with its schedules in the agreements
    the user may see: a department officer sees only their own department's figures."""

    template_name = "services/service_detail.html"

    def get_context_data(self, **kwargs):
        service = get_object_or_404(service_list(), pk=self.kwargs["pk"])
        schedules = (
            selectors.schedules_all(user=self.request.user)
            .filter(service=service)
            .select_related("agreement__almo")
            .order_by("-agreement__start_date", "agreement__reference")
        )
        schedules = withhold_confidential_costs(user=self.request.user, schedules=schedules)
        return super().get_context_data(service=service, schedules=schedules, **kwargs)
