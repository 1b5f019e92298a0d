from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from agreements import selectors
from agreements.filters import AgreementFilter
from agreements.tables import AgreementTable


class AgreementListView(SingleTableMixin, FilterView):
    table_class = AgreementTable
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)


class AgreementDetailView(TemplateView):
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        schedules = list(selectors.schedule_list(user=self.request.user, agreement=agreement))
        return super().get_context_data(
            agreement=agreement,
            schedules=schedules,
            total_cost=sum(s.annual_cost for s in schedules),
            can_edit=self.request.user.has_perm("agreements.change_agreement", agreement),
            **kwargs,
        )


class ScheduleDetailView(TemplateView):
    template_name = "agreements/schedule_detail.html"

    def get_context_data(self, **kwargs):
        agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["agreement_pk"])
        schedule = selectors.schedule_get(user=self.request.user, agreement=agreement, pk=self.kwargs["pk"])
        return super().get_context_data(agreement=agreement, schedule=schedule, **kwargs)
