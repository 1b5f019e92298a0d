"""An agreement's history of changes, a page at a time."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from agreements import selectors

HISTORY_PAGE_SIZE = 50


class AgreementHistoryView(TemplateView):
    template_name = "agreements/agreement_history.html"

    def get_context_data(self, **kwargs):
        agreement = selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["pk"], perm="agreements.view_agreement_history"
        )
        page = Paginator(selectors.agreement_history(agreement=agreement), HISTORY_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(agreement=agreement, page=page, entries=page.object_list, **kwargs)
