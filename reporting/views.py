"""Thin views: parse, call one service or selector, respond. Access goes through ``selectors.return_get``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin

from agreements.models import Agreement
from agreements.selectors import agreement_list
from almo_sla.access import can
from almo_sla.exports import CONTENT_TYPES, SafeTableExport, rows_export_response
from almo_sla.form_pages import FormPage
from reporting import charts, imports, selectors, services
from reporting.complaints.selectors import complaints_for_return
from reporting.filters import DepartureFilter, ReturnFilter
from reporting.forms import (
    DepartureForm,
    EvidenceForm,
    ImportForm,
    OpenReturnsForm,
    ResolveForm,
    ResultForm,
    ReviewForm,
)
from reporting.models import Departure, Evidence, QuarterlyReturn
from reporting.scrutiny.views import panel_dashboard_context, tenant_tasks
from reporting.selectors import dashboard_summary, returns_summary
from reporting.tables import DepartureTable, ReturnTable
from reporting.tasks_list import your_tasks
from services.roles import Role, role_of


class DashboardView(TemplateView):
    template_name = "reporting/dashboard.html"

    def get_template_names(self):
        if role_of(self.request.user) == Role.PANEL_MEMBER:
            return ["reporting/scrutiny/panel_dashboard.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        if role_of(user) == Role.PANEL_MEMBER:  # tenants see their scrutiny work, not the council's costs
            return super().get_context_data(**panel_dashboard_context(user), **kwargs)
        tasks = your_tasks(user=user, today=today)
        self.request.your_tasks = tasks  # the navigation's counts are read from it
        return super().get_context_data(
            tasks=tasks,
            tenant_tasks=tenant_tasks(user=user, today=today),
            summary=dashboard_summary(user=user, today=today),
            returns=returns_summary(user=user, today=today),
            today=today,
            **kwargs,
        )


# --- Lists ------------------------------------------------------------------------------------


class ReturnListView(SingleTableMixin, FilterView):
    table_class = ReturnTable
    filterset_class = ReturnFilter
    template_name = "reporting/quarterlyreturn_list.html"
    table_pagination = {"per_page": 50}  # the table pages the list; paginate_by would count it twice

    def get_queryset(self):
        return selectors.return_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_open=can(self.request.user, "reporting.open_returns"), **kwargs)


class DepartureListView(ExportMixin, SingleTableMixin, FilterView):
    export_class = SafeTableExport  # formulas neutralised
    table_class = DepartureTable
    filterset_class = DepartureFilter
    template_name = "reporting/departure_list.html"
    table_pagination = {"per_page": 50}  # the table pages the list; paginate_by would count it twice
    export_formats = ["csv", "xlsx", "ods"]
    export_name = "departures-from-standard"

    def get_queryset(self):
        return selectors.departure_list(user=self.request.user)

    def create_export(self, export_format):
        """The filtered departures from the selector's values (not cell by cell through the table)."""
        return rows_export_response(
            headers=selectors.DEPARTURE_EXPORT_HEADERS,
            rows=selectors.departure_export_rows(departures=self.get_table().data.data),  # in the table's order
            export_format=export_format,
            filename=f"{self.export_name}.{export_format}",
        )


# --- Opening a quarter ---------------------------------------------------------------------------


class ReturnsOpenView(FormPage):
    form_class = OpenReturnsForm
    template_name = "reporting/quarterlyreturn_open.html"
    perm = "reporting.open_returns"

    def get_form_kwargs(self):
        agreements = agreement_list(user=self.request.user).filter(status=Agreement.Status.ACTIVE)
        return super().get_form_kwargs() | {"agreements": agreements}

    def write(self, form):
        quarter = form.cleaned_data["quarter"]
        agreement = form.cleaned_data["agreement"]
        if agreement is None and not self.request.user.is_superuser:
            created = sum(
                services.returns_open(quarter=quarter, agreement=a, by=self.request.user)
                for a in form.fields["agreement"].queryset
            )
        else:
            created = services.returns_open(quarter=quarter, agreement=agreement, by=self.request.user)
        return created, quarter

    def get_success_message(self, result):
        created, quarter = result
        return f"{created} return{'s' if created != 1 else ''} opened for {quarter.label}."

    def get_success_url(self, result):
        _created, quarter = result
        return reverse("reporting:return_list") + f"?period={quarter.slug}"


# --- One return -----------------------------------------------------------------------------


REVIEWED_STATUSES = (QuarterlyReturn.Status.ACCEPTED, QuarterlyReturn.Status.SENT_BACK)


class ReturnDetailView(TemplateView):
    template_name = "reporting/quarterlyreturn_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        ret = selectors.return_get(user=user, pk=self.kwargs["pk"])
        # reminders matter while the return is outstanding
        reminders = selectors.reminders_sent_now(quarterly_return=ret) if ret.is_editable else []
        can_remind = can(user, "reporting.remind_quarterlyreturn", ret)
        results = list(selectors.result_list(quarterly_return=ret))
        trends = selectors.rag_trends(quarterly_return=ret, results=results)
        rows = [
            (r, charts.trend(r.standard, charts.quarterly_results(trends.get(r.standard_id, [r])), key=str(r.pk)))
            for r in results
        ]
        return super().get_context_data(
            ret=ret,
            rows=rows,
            evidence=list(ret.evidence.all()) if can(user, "reporting.view_evidence", ret) else [],
            events=list(ret.events.select_related("by")),
            progress=ret.progress(today),
            can_fill=selectors.return_can(user, selectors.FILL, ret),
            can_review=selectors.return_can(user, selectors.REVIEW, ret),
            can_resolve=can(user, "reporting.resolve_departure", ret),
            complaints=complaints_for_return(quarterly_return=ret, today=timezone.localdate()),
            can_list_complaints=can(user, "reporting.list_complaints"),
            can_remind=can_remind,
            remind_to=services.reminder_recipients(ret) if can_remind else [],
            reminders=reminders,
            reminded_today=any(r.sent_on == today for r in reminders),
            # the last review stands until the return is resubmitted (then it waits for a new one)
            show_review=bool(ret.reviewed_at) and ret.status in REVIEWED_STATUSES,
            problems=services.submission_problems(ret) if selectors.return_can(user, selectors.FILL, ret) else [],
            **kwargs,
        )


class ReturnEditView(TemplateView):
    """Every standard's figure and commentary on one page; saved as a draft."""

    template_name = "reporting/quarterlyreturn_edit.html"

    def setup_return(self):
        self.ret = selectors.return_get(
            user=self.request.user, pk=self.kwargs["pk"], perm="reporting.change_quarterlyreturn"
        )
        services.return_results_ensure(quarterly_return=self.ret)
        self.results = list(selectors.result_list(quarterly_return=self.ret))

    def forms(self, data=None):
        return [ResultForm(data, instance=r, prefix=f"r{r.pk}") for r in self.results]

    def get(self, request, *args, **kwargs):
        self.setup_return()
        return self.render_to_response(self.get_context_data(forms=self.forms()))

    def post(self, request, *args, **kwargs):
        self.setup_return()
        forms = self.forms(request.POST)
        if all([f.is_valid() for f in forms]):
            try:
                services.return_save(quarterly_return=self.ret, user=request.user, results=[f.instance for f in forms])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Your return has been saved as a draft.")
                return redirect(self.ret)
        return self.render_to_response(self.get_context_data(forms=forms), status=200)

    def get_context_data(self, **kwargs):
        forms = kwargs["forms"]
        errors = [(f, field, e) for f in forms for field in f for e in field.errors]
        return super().get_context_data(
            ret=self.ret, pairs=zip(self.results, forms, strict=True), errors=errors, **kwargs
        )


class ReturnSubmitView(View):
    """Submit a return. "Already submitted" wins over every other answer, whatever the interleaving.

    The permission is checked once, on the copy loaded here; the status that decides is read by
    ``services.return_submit`` under the row lock. A twin request (double click, second tab)
    that commits at any point after this load makes this one answer "already submitted", never
    a 403 from re-checking the rule on a return that has moved on.
    """

    http_method_names = ["post"]

    def post(self, request, pk):
        ret = selectors.return_get(user=request.user, pk=pk)
        if ret.status not in services.ALREADY_IN:
            if not selectors.return_can(request.user, "reporting.submit_quarterlyreturn", ret):
                raise PermissionDenied
            try:
                services.return_submit(quarterly_return=ret, user=request.user)
            except services.ReturnAlreadySubmitted:
                pass
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(ret)
            else:
                messages.success(request, f"Your {ret.period.label} return has been submitted to the coordinator.")
                return redirect(ret)
        messages.info(request, f"This {ret.period.label} return has already been submitted.")
        return redirect(ret)


class ReturnRemindView(View):
    """The "send a reminder now" button on an overdue return: recorded, at most once a day."""

    http_method_names = ["post"]

    def post(self, request, pk):
        ret = selectors.return_get(user=request.user, pk=pk, perm="reporting.remind_quarterlyreturn")
        try:
            services.return_remind(quarterly_return=ret, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, f"A reminder has been sent to {ret.department} about the {ret.period.label} return."
            )
        return redirect(ret)


class ReturnFormPage(FormPage):
    """A form about one return (``ret``): loaded once through ``return_get``, which asks ``return_perm``
    (404 / 403); ``load`` fetches anything further the URL names."""

    perm = None  # asked by ``selectors.return_get`` with ``return_perm``
    return_perm = "reporting.change_quarterlyreturn"
    context_object_name = "ret"

    def get_object(self):
        self.ret = selectors.return_get(user=self.request.user, pk=self.kwargs["pk"], perm=self.return_perm)
        self.load(**self.kwargs)
        return self.ret

    def load(self, **kwargs):
        """Load further objects named in the URL (after the return)."""

    def get_success_url(self, result):
        return self.ret


class ReturnReviewView(ReturnFormPage):
    form_class = ReviewForm
    template_name = "reporting/quarterlyreturn_review.html"
    return_perm = "reporting.review_quarterlyreturn"

    def write(self, form):
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        if decision == ReviewForm.Decision.ACCEPT:
            services.return_accept(quarterly_return=self.ret, user=self.request.user, comment=comment)
        else:
            services.return_send_back(quarterly_return=self.ret, user=self.request.user, comment=comment)
        return decision

    def get_success_message(self, decision):
        if decision == ReviewForm.Decision.ACCEPT:
            return f"The {self.ret.department} return for {self.ret.period.label} is accepted."
        return f"The {self.ret.department} return has been queried back to the department."


# --- Departures ------------------------------------------------------------------------------


class DepartureFormView(ReturnFormPage):
    form_class = DepartureForm
    template_name = "reporting/departure_form.html"

    def load(self, **kwargs):
        if "departure_pk" in kwargs:
            self.departure = selectors.departure_get(
                user=self.request.user, quarterly_return=self.ret, pk=kwargs["departure_pk"]
            )
            self.result = self.departure.result
        else:
            self.result = get_object_or_404(self.ret.results.select_related("standard"), pk=kwargs["result_pk"])
            self.departure = Departure(result=self.result)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.departure}

    def get_context_data(self, **kwargs):
        return super().get_context_data(result=self.result, departure=self.departure, **kwargs)

    def write(self, form):
        services.departure_save(departure=form.instance, user=self.request.user)

    def get_success_message(self, result):
        return f"Departure from “{self.result.standard.title}” saved."


class DepartureResolveView(ReturnFormPage):
    """Close a remedial action, whatever quarter its return belongs to."""

    form_class = ResolveForm
    template_name = "reporting/departure_resolve.html"
    return_perm = "reporting.resolve_departure"
    success_message = "The remedial action is recorded as resolved."

    def load(self, **kwargs):
        self.departure = selectors.departure_get(
            user=self.request.user, quarterly_return=self.ret, pk=kwargs["departure_pk"]
        )

    def get_initial(self):
        return {"resolved_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(departure=self.departure, **kwargs)

    def write(self, form):
        services.departure_resolve(
            departure=self.departure, user=self.request.user, resolved_on=form.cleaned_data["resolved_on"]
        )


# --- Evidence -------------------------------------------------------------------------------


class EvidenceUploadView(ReturnFormPage):
    form_class = EvidenceForm
    template_name = "reporting/evidence_form.html"
    write_error_field = "file"

    def write(self, form):
        return services.evidence_add(
            quarterly_return=self.ret, user=self.request.user, upload=form.cleaned_data["file"]
        )

    def get_success_message(self, evidence):
        return f"{evidence.original_name} is attached to the return."


class EvidenceDownloadView(View):
    def get(self, request, pk, evidence_pk):
        ret = selectors.return_get(user=request.user, pk=pk, perm="reporting.view_evidence")
        evidence = get_object_or_404(Evidence, quarterly_return=ret, pk=evidence_pk)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The file is missing.") from exc
        response = FileResponse(
            handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class EvidenceDeleteView(View):
    http_method_names = ["post"]

    def post(self, request, pk, evidence_pk):
        ret = selectors.return_get(user=request.user, pk=pk, perm="reporting.change_quarterlyreturn")
        evidence = get_object_or_404(Evidence, quarterly_return=ret, pk=evidence_pk)
        services.evidence_delete(evidence=evidence, user=request.user)
        messages.success(request, f"{evidence.original_name} removed.")
        return redirect(ret)


# --- Import --------------------------------------------------------------------------------


class ReturnTemplateView(View):
    def get(self, request, pk, fmt):
        ret = selectors.return_get(user=request.user, pk=pk, perm="reporting.change_quarterlyreturn")
        services.return_results_ensure(quarterly_return=ret)
        results = list(selectors.result_list(quarterly_return=ret))
        name = f"return-{ret.department.slug}-{ret.period.slug}"
        content = imports.template_csv(results) if fmt == "csv" else imports.template_xlsx(results)
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


class ReturnImportView(ReturnFormPage):
    form_class = ImportForm
    template_name = "reporting/quarterlyreturn_import.html"
    write_error_field = "file"
    import_errors = None  # the file's problems, listed above the form, when the import failed

    def get_context_data(self, **kwargs):
        if self.import_errors is not None:
            kwargs["import_errors"] = self.import_errors
        return super().get_context_data(**kwargs)

    def write(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > services.evidence_max_bytes():
            raise ValidationError(f"The file must be smaller than {services.evidence_max_bytes() // (1024 * 1024)} MB.")
        services.return_results_ensure(quarterly_return=self.ret)
        try:
            return imports.return_import(
                quarterly_return=self.ret, user=self.request.user, name=upload.name, content=upload.read()
            )
        except imports.ImportFailed as failed:
            self.import_errors = failed.errors
            count = len(failed.errors)
            raise ValidationError(
                f"The file has {count} problem{'s' if count != 1 else ''}: nothing was saved."
            ) from None

    def get_success_message(self, count):
        return f"{count} standard{'s' if count != 1 else ''} imported and saved as a draft."
