from django.views.generic import TemplateView

from reporting.selectors import dashboard_summary


class DashboardView(TemplateView):
    template_name = "reporting/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=dashboard_summary(user=self.request.user), **kwargs)
