"""A schedule of an agreement: its page, adding one (from the council's template), editing it with
its standards, removing it from a draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from agreements import council_templates, selectors, services
from agreements.confidential import withhold_confidential_costs
from agreements.forms import ScheduleForm, standard_formset
from almo_sla.access import can
from almo_sla.form_pages import FormPage
from almo_sla.forms import add_validation_errors


class ScheduleDetailView(TemplateView):
    template_name = "agreements/schedule_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agreement = selectors.agreement_get(user=user, pk=self.kwargs["agreement_pk"])
        schedule = selectors.schedule_get(user=user, agreement=agreement, pk=self.kwargs["pk"])
        withhold_confidential_costs(user=user, schedules=[schedule])
        template = council_templates.template_for(schedule.service)
        return super().get_context_data(
            council_template=template,
            template_departures=council_templates.redline(schedule=schedule, template=template) if template else [],
            agreement=agreement,
            schedule=schedule,
            can_edit=can(user, "agreements.change_agreement", agreement),
            **kwargs,
        )


class ScheduleCreateView(FormPage):
    template_name = "agreements/schedule_form.html"
    form_class = ScheduleForm
    perm = "agreements.change_agreement"
    context_object_name = "agreement"

    def get_object(self):
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["agreement_pk"])

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"agreement": self.object}

    def get(self, request, *args, **kwargs):
        """?service=<id>: start from the council's template schedule for that service."""
        service = request.GET.get("service", "")
        template = council_templates.template_for(service) if service.isdigit() else None
        form = self.form_class(agreement=self.object, initial=council_templates.initial_from(template))
        templated_services = (
            council_templates.ServiceTemplate.objects.filter(service__department__council_id=self.object.council_id)
            .exclude(service__schedules__agreement=self.object)
            .select_related("service__department")
        )
        return render(
            request,
            self.template_name,
            self.get_context_data(form=form, template=template, templated_services=templated_services),
        )

    def get_context_data(self, **kwargs):
        """A form re-shown with errors keeps the template it was started from (and its hidden field)."""
        if "template" not in kwargs and self.request.POST.get("from_template") == "1":
            service = self.request.POST.get("service", "")
            kwargs["template"] = council_templates.template_for(service) if service.isdigit() else None
        return super().get_context_data(**kwargs)

    def write(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        return services.schedule_create(
            agreement=self.object, from_template=self.request.POST.get("from_template") == "1", **data
        )

    def get_success_message(self, schedule):
        return f"{schedule.service.name} added. Now add its standards."

    def get_success_url(self, schedule):
        return reverse("agreements:schedule_edit", args=[self.object.pk, schedule.pk])


class ScheduleEditView(View):
    """The schedule's terms and its standards (with yearly targets) on one page (a form and a
    formset, so not a ``FormPage``)."""

    template_name = "agreements/schedule_form.html"

    def _get(self):
        agreement = selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["agreement_pk"], perm="agreements.change_agreement"
        )
        return agreement, selectors.schedule_get(user=self.request.user, agreement=agreement, pk=self.kwargs["pk"])

    def get(self, request, agreement_pk, pk):
        agreement, schedule = self._get()
        return render(
            request,
            self.template_name,
            {
                "form": ScheduleForm(instance=schedule, agreement=agreement),
                "formset": standard_formset(schedule=schedule),
                "agreement": agreement,
                "schedule": schedule,
            },
        )

    def post(self, request, agreement_pk, pk):
        agreement, schedule = self._get()
        form = ScheduleForm(request.POST, instance=schedule, agreement=agreement)
        formset = standard_formset(schedule=schedule, data=request.POST)
        conflict = None
        if form.is_valid() and formset.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "service")}
            standards = [
                {
                    "instance": f.instance if f.instance.pk else None,
                    "delete": f.cleaned_data.get("DELETE", False),
                    "fields": {k: f.cleaned_data[k] for k in f._meta.fields},
                    "targets": f.targets(),
                }
                for f in formset.forms
                if f.has_changed() or f.instance.pk
            ]
            try:
                services.schedule_update(
                    schedule=schedule,
                    expected_revision=form.cleaned_data["revision"] or 0,
                    fields=fields,
                    standards=standards,
                )
            except services.ConcurrentEditError as error:
                conflict = error
                form.data = form.data.copy()
                form.data["revision"] = error.current_revision
                form.add_error(
                    None,
                    f"{error.who} saved this schedule while you were editing it. Their changes "
                    "are saved: they are listed below the form's heading and in the agreement's "
                    "history. Check them, then save again to keep yours.",
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{schedule.service.name} saved.")
                return redirect(schedule)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "agreement": agreement,
                "schedule": schedule,
                "conflict": conflict,
            },
        )


class ScheduleDeleteView(View):
    template_name = "agreements/schedule_confirm_delete.html"

    def _get(self):
        agreement = selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["agreement_pk"], perm="agreements.change_agreement"
        )
        return agreement, selectors.schedule_get(user=self.request.user, agreement=agreement, pk=self.kwargs["pk"])

    def get(self, request, agreement_pk, pk):
        agreement, schedule = self._get()
        return render(request, self.template_name, {"agreement": agreement, "schedule": schedule})

    def post(self, request, agreement_pk, pk):
        agreement, schedule = self._get()
        name = schedule.service.name
        services.schedule_delete(schedule=schedule)
        messages.success(request, f"{name} removed from the draft.")
        return redirect(agreement)
