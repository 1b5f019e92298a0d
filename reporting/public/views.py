"""The public performance pages (no sign-in), their open data, accessibility statement, and publishing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import FormView, TemplateView

from almo_sla.access import can
from almo_sla.forms import GovukFormMixin
from reporting.complaints.selectors import complaint_counts
from reporting.public import opendata, selectors, services
from services.periods import Quarter

public = method_decorator(login_not_required, name="dispatch")


def complaint_counts_for(almo, quarter):
    """The quarter's complaint counts (no details) for the public page."""
    return complaint_counts(almo=almo, start=quarter.start, end=quarter.end, today=timezone.localdate())


@public
class PublicIndexView(TemplateView):
    template_name = "reporting/public/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(almos=selectors.published_almos(), **kwargs)


@public
class PublicPerformanceView(TemplateView):
    """An ALMO's latest published quarter (or the one in the URL), with links to the earlier ones."""

    template_name = "reporting/public/performance.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("quarter", None)  # the URL's text; the context gets the parsed Quarter
        almo = selectors.almo_get(slug=self.kwargs["slug"])
        quarters = selectors.published_quarters(almo=almo)
        if "quarter" in self.kwargs:
            try:
                quarter = Quarter.parse(self.kwargs["quarter"])
            except ValueError:
                raise Http404("No such quarter.") from None
            if quarter not in quarters:
                raise Http404("That quarter is not published.")
        elif quarters:
            quarter = quarters[0]
        else:
            quarter = None
        return super().get_context_data(
            almo=almo,
            quarter=quarter,
            quarters=quarters,
            services=selectors.quarter_page(almo=almo, quarter=quarter) if quarter else [],
            complaints=complaint_counts_for(almo, quarter) if quarter else None,
            **kwargs,
        )


@public
class OpenDataView(View):
    def get(self, request, slug, fmt):
        almo = selectors.almo_get(slug=slug)
        data = opendata.dataset(almo=almo)
        if fmt == "csv":
            response = HttpResponse(data.export("csv"), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(data.export("ods"), content_type="application/vnd.oasis.opendocument.spreadsheet")
        response["Content-Disposition"] = f'attachment; filename="{almo.slug}-performance.{fmt}"'
        return response


@public
class AccessibilityView(TemplateView):
    template_name = "reporting/public/accessibility.html"


class PublishForm(GovukFormMixin, forms.Form):
    quarter = forms.ChoiceField(label="Quarter to publish", widget=forms.RadioSelect)

    def __init__(self, *args, ready, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(p.quarter.slug, p.quarter.label) for p in ready]


class PublishView(FormView):
    template_name = "reporting/public/publish.html"
    form_class = PublishForm

    def dispatch(self, request, *args, **kwargs):
        self.almo = selectors.almo_get(slug=kwargs["slug"])
        if not can(request.user, "reporting.publish_performance", self.almo):
            raise PermissionDenied
        self.candidates = selectors.unpublished_quarters(almo=self.almo)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"ready": [p for p in self.candidates if p.ready]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            almo=self.almo, candidates=self.candidates, published=selectors.published_quarters(almo=self.almo), **kwargs
        )

    def form_valid(self, form):
        quarter = Quarter.parse(form.cleaned_data["quarter"])
        try:
            services.quarter_publish(almo=self.almo, quarter=quarter, by=self.request.user)
        except ValidationError as error:
            form.add_error("quarter", error.message_dict.get("quarter", error.messages))
            return self.form_invalid(form)
        messages.success(self.request, f"{quarter.label} is now on {self.almo}'s public performance page.")
        return redirect(reverse("reporting:public_performance_quarter", args=[self.almo.slug, quarter.slug]))
