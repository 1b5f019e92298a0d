"""Agreement pages. Thin: parse, call one selector or service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from agreements import cost_selectors, council_templates, selectors, services
from agreements.confidential import may_see_confidential_costs, withhold_confidential_costs
from agreements.filters import AgreementFilter, ScheduleFilter
from agreements.forms import (
    AgreementCreateForm,
    AgreementForm,
    CirculateForm,
    CommentForm,
    CommentResponseForm,
    DeclineForm,
    MoveOnForm,
    ScheduleForm,
    SignoffForm,
    VariationChangeForm,
    VariationDecisionForm,
    VariationForm,
    WithdrawVariationForm,
    copy_sources,
    standard_formset,
)
from agreements.models import Comment, Variation
from agreements.sealed_views import seal_summary
from agreements.snapshots import redline, snapshot_for_department, snapshot_total_cost
from agreements.tables import AgreementTable, ScheduleTable
from almo_sla.access import can
from almo_sla.exports import SafeTableExport, rows_export_response
from almo_sla.forms import add_validation_errors
from services.models import Almo, Service
from services.roles import Role, almo_id_of, department_id_of, role_of
from services.selectors import service_list


class ExportFormatsMixin(ExportMixin):
    export_class = SafeTableExport  # formulas neutralised
    export_formats = ["csv", "xlsx", "ods"]

    def get_export_filename(self, export_format):
        return f"{self.export_name}-{timezone.localdate():%Y-%m-%d}.{export_format}"


# --- Lists -----------------------------------------------------------------------------------


class AgreementListView(ExportFormatsMixin, SingleTableMixin, FilterView):
    table_class = AgreementTable
    filterset_class = AgreementFilter
    template_name = "agreements/agreement_list.html"
    paginate_by = 25
    export_name = "agreements"

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=can(self.request.user, "agreements.add_agreement"), **kwargs)


class ScheduleListView(ExportFormatsMixin, SingleTableMixin, FilterView):
    table_class = ScheduleTable
    filterset_class = ScheduleFilter
    template_name = "agreements/schedule_list.html"
    paginate_by = 25
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


# --- Agreement pages ---------------------------------------------------------------------------


SCHEDULES_PAGE_SIZE = 50  # an agreement of a large council holds hundreds


class AgreementDetailView(TemplateView):
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agreement = selectors.agreement_get(user=user, pk=self.kwargs["pk"])
        all_schedules = selectors.schedule_summaries(user=user, agreement=agreement)
        page = Paginator(all_schedules, SCHEDULES_PAGE_SIZE).get_page(self.request.GET.get("page"))
        schedules = withhold_confidential_costs(user=user, schedules=page.object_list)
        if may_see_confidential_costs(user):
            total_cost = all_schedules.aggregate(total=Sum("annual_cost"))["total"] or 0
        else:  # the total leaves out figures the reader may not see
            total_cost = (
                all_schedules.filter(commercially_confidential=False).aggregate(total=Sum("annual_cost"))["total"] or 0
            )
        may_see_drafting = can(user, "agreements.view_drafting", agreement)
        versions = list(selectors.version_list(agreement=agreement)) if may_see_drafting else []
        approvals = selectors.signoff_approvals(agreement=agreement)
        return super().get_context_data(
            agreement=agreement,
            schedules=schedules,
            schedules_page=page,
            total_cost=total_cost,
            costs_withheld=any(s.cost_withheld for s in schedules),
            can_edit=can(user, "agreements.change_agreement", agreement),
            can_circulate=can(user, "agreements.circulate_agreement", agreement),
            can_start_next_draft=can(user, "agreements.start_next_draft", agreement),
            can_approve=can(user, "agreements.approve_agreement", agreement)
            and services.party_of(agreement, user) is not None
            and not any(
                a.party == services.party_of(agreement, user)
                and a.version_id == (versions[-1].pk if versions else None)
                for a in approvals
            ),
            signoff_version=versions[-1] if versions else None,
            drafting_steps=selectors.drafting_steps(agreement=agreement),
            can_propose_variation=can(user, "agreements.propose_variation", agreement),
            can_view_history=can(user, "agreements.view_agreement_history", agreement),
            versions=versions,
            variations=selectors.variation_list(agreement=agreement, with_approvals=False)
            if can(user, "agreements.view_all_schedules", agreement) and may_see_drafting
            else [],
            signoff_approvals=approvals,
            **self._notices(user, agreement),
            seal=seal_summary(user=user, agreement=agreement),
            **kwargs,
        )

    @staticmethod
    def _notices(user, agreement) -> dict:
        """Services under notice (and notices withdrawn), for those who see notice planning: one query."""
        if not can(user, "agreements.view_notices"):
            return {"show_notices": False}
        notices = cost_selectors.notices_for_agreement(user=user, agreement=agreement)
        return {
            "show_notices": True,
            "open_notices": [n for n in notices if n.withdrawn_on is None],
            "withdrawn_notices": [n for n in notices if n.withdrawn_on is not None],
            "today": timezone.localdate(),
        }


class AgreementCreateView(View):
    template_name = "agreements/agreement_form.html"

    def _form(self, data=None):
        user = self.request.user
        if not can(user, "agreements.add_agreement"):
            raise PermissionDenied
        almos = Almo.objects.all() if role_of(user) == Role.ADMINISTRATOR else Almo.objects.filter(pk=almo_id_of(user))
        visible = selectors.agreement_list(user=user)
        signatories = services.signatory_choices(
            council_ids=almos.values_list("council_id", flat=True),
            almo_ids=almos.values_list("pk", flat=True),
            coordinator=user,
        )
        return AgreementCreateForm(
            data,
            signatories=signatories,
            almos=almos,
            copy_sources=copy_sources(user=user, visible=visible),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "copy_from")}
            try:
                agreement = services.agreement_create(
                    user=request.user,
                    copy_from=form.cleaned_data["copy_from"],
                    council_id=data["almo"].council_id,
                    **data,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Draft {agreement.reference} created.")
                return redirect(agreement)
        return render(request, self.template_name, {"form": form})


class AgreementEditView(View):
    template_name = "agreements/agreement_form.html"

    def _get(self):
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"], perm="agreements.change_agreement")

    def dispatch(self, request, *args, **kwargs):
        """An agreement past drafting is not edited: say so, and point to a variation where one can be proposed."""
        if request.user.is_authenticated:
            agreement = selectors.agreement_get(user=request.user, pk=kwargs["pk"])
            can_vary = can(request.user, "agreements.propose_variation", agreement)
            can_redraft = can(request.user, "agreements.start_next_draft", agreement)
            if not agreement.is_editable and (can_vary or can_redraft):
                return render(
                    request,
                    "agreements/agreement_not_editable.html",
                    {
                        "agreement": agreement,
                        "can_vary": can_vary,
                        "can_redraft": can_redraft,
                    },
                )
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def _signatories(agreement):
        return services.signatory_choices(
            council_ids=[agreement.council_id], almo_ids=[agreement.almo_id], coordinator=agreement.coordinator
        )

    def get(self, request, pk):
        agreement = self._get()
        form = AgreementForm(instance=agreement, signatories=self._signatories(agreement))
        return render(request, self.template_name, {"form": form, "agreement": agreement})

    def post(self, request, pk):
        agreement = self._get()
        form = AgreementForm(request.POST, instance=agreement, signatories=self._signatories(agreement))
        conflict = None
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "reference")}
            try:
                services.agreement_update(
                    agreement=agreement, expected_revision=form.cleaned_data["revision"] or 0, **fields
                )
            except services.ConcurrentEditError as error:
                conflict = error
                form.data = form.data.copy()
                form.data["revision"] = error.current_revision
                form.add_error(
                    None,
                    f"{error.who} saved this draft while you were editing it. Their changes are "
                    "saved: they are listed below the form's heading and in the agreement's history. "
                    "Check them, then save again to keep yours.",
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Agreement saved.")
                return redirect(agreement)
        return render(request, self.template_name, {"form": form, "agreement": agreement, "conflict": conflict})


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


class ScheduleCreateView(View):
    template_name = "agreements/schedule_form.html"

    def _get(self):
        return selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["agreement_pk"], perm="agreements.change_agreement"
        )

    def get(self, request, agreement_pk):
        agreement = self._get()
        # ?service=<id>: start from the council's template schedule for that service
        service = request.GET.get("service", "")
        template = council_templates.template_for(service) if service.isdigit() else None
        form = ScheduleForm(agreement=agreement, initial=council_templates.initial_from(template))
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "agreement": agreement,
                "template": template,
                "templated_services": council_templates.ServiceTemplate.objects.filter(
                    service__department__council_id=agreement.council_id
                )
                .exclude(service__schedules__agreement=agreement)
                .select_related("service__department"),
            },
        )

    def post(self, request, agreement_pk):
        agreement = self._get()
        form = ScheduleForm(request.POST, agreement=agreement)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
            try:
                schedule = services.schedule_create(
                    agreement=agreement, from_template=request.POST.get("from_template") == "1", **data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"{schedule.service.name} added. Now add its standards.")
                return redirect("agreements:schedule_edit", agreement.pk, schedule.pk)
        return render(request, self.template_name, {"form": form, "agreement": agreement})


class ScheduleEditView(View):
    """The schedule's terms and its standards (with yearly targets) on one page."""

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


# --- Circulation, versions and comments ---------------------------------------------------------


class CirculateView(View):
    template_name = "agreements/agreement_circulate.html"

    def _get(self):
        return selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["pk"], perm="agreements.circulate_agreement"
        )

    def get(self, request, pk):
        return render(request, self.template_name, {"form": CirculateForm(), "agreement": self._get()})

    def post(self, request, pk):
        agreement = self._get()
        form = CirculateForm(request.POST)
        if form.is_valid():
            try:
                version = services.agreement_circulate(
                    agreement=agreement, user=request.user, comment_deadline=form.cleaned_data["comment_deadline"]
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request, f"{version.label} circulated for comment until {version.comment_deadline:%-d %B %Y}."
                )
                return redirect(version)
        return render(request, self.template_name, {"form": form, "agreement": agreement})


class MoveOnView(View):
    """A confirmation page (GET) for a drafting step that says what will happen, then the step (POST).

    With the comment window open or comments unanswered the step needs a reason, which is recorded.
    The POST URL is the one the old one-click button used, so it keeps working.
    """

    template_name = "agreements/agreement_move_on.html"
    perm = ""
    heading = ""
    button = ""

    def _get(self):
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"], perm=self.perm)

    def _render(self, agreement, form):
        window = services.comment_window(agreement=agreement)
        return render(
            self.request,
            self.template_name,
            {
                "agreement": agreement,
                "form": form,
                "window": window,
                "heading": self.heading,
                "button": self.button,
                "what_happens": self.what_happens(agreement),
                "step": self.step,
            },
        )

    def get(self, request, pk):
        return self._render(self._get(), MoveOnForm())

    def post(self, request, pk):
        agreement = self._get()
        form = MoveOnForm(request.POST)
        if form.is_valid():
            try:
                message = self.act(agreement, form.cleaned_data["reason"])
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(agreement)
        return self._render(agreement, form)


class StartNextDraftView(MoveOnView):
    perm = "agreements.start_next_draft"
    step = "next_draft"
    heading = "Start the next draft"
    button = "Start the next draft"

    @staticmethod
    def what_happens(agreement):
        return [
            "The agreement becomes a draft again, so you can edit its terms and schedules.",
            "Commenting on the circulated version closes now, even if its deadline has not passed.",
            "The versions and comments so far are kept; circulate or send the next version when it is ready.",
        ]

    def act(self, agreement, reason):
        services.agreement_start_next_draft(agreement=agreement, user=self.request.user, reason=reason)
        return "The agreement is a draft again: edit it, then circulate it or send it for sign-off."


class SendForSignoffView(MoveOnView):
    perm = "agreements.change_agreement"
    step = "sign_off"
    heading = "Send for sign-off"
    button = "Send for sign-off"

    @staticmethod
    def what_happens(agreement):
        def name(user):
            return (user.get_full_name() or user.username) if user else "not named yet"

        return [
            "The draft is frozen as the final version; it can no longer be edited.",
            f"{name(agreement.council_signatory)} (for the council) and {name(agreement.almo_signatory)} "
            "(for the ALMO) are asked to approve it. Either can decline it with a reason, "
            "which makes it a draft again.",
            "When both approve, the agreement is agreed and binds both parties from its start date.",
        ]

    def act(self, agreement, reason):
        version = services.agreement_send_for_signoff(agreement=agreement, user=self.request.user, reason=reason)
        return f"{version.label} sent to the signatories for sign-off."


class ApproveAgreementView(View):
    """POST-only: a signatory approves the final version they read (its number is in the form)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk, perm="agreements.approve_agreement")
        form = SignoffForm(request.POST)
        number = form.cleaned_data["version_number"] if form.is_valid() else None
        try:
            approval = services.agreement_approve(agreement=agreement, user=request.user, version_number=number)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You approved {approval.version.label} for the {approval.get_party_display()}.")
        return redirect(agreement)


class DeclineAgreementView(View):
    """A signatory declines the final version with a reason: the agreement goes back to draft."""

    template_name = "agreements/agreement_decline.html"

    def _context(self, form):
        agreement = selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["pk"], perm="agreements.approve_agreement"
        )
        version = agreement.versions.order_by("-number").first()
        return {"agreement": agreement, "version": version, "form": form}

    def get(self, request, pk):
        context = self._context(None)
        number = context["version"].number if context["version"] else None
        context["form"] = DeclineForm(initial={"version_number": number})
        return render(request, self.template_name, context)

    def post(self, request, pk):
        form = DeclineForm(request.POST)
        context = self._context(form)
        agreement = context["agreement"]
        if form.is_valid():
            try:
                approval = services.agreement_decline(
                    agreement=agreement,
                    user=request.user,
                    version_number=form.cleaned_data["version_number"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    f"You declined {approval.version.label}: the agreement is a draft again and "
                    "the coordinator can see your reason.",
                )
                return redirect(agreement)
        return render(request, self.template_name, context)


def _version_context(request, agreement, version):
    user = request.user
    if not can(user, "agreements.view_drafting", agreement):  # versions carry every cost
        raise PermissionDenied
    snapshot = version.snapshot
    if not can(user, "agreements.view_all_schedules", agreement):
        snapshot = snapshot_for_department(snapshot, department_id_of(user))
    return snapshot


class VersionDetailView(View):
    template_name = "agreements/version_detail.html"

    def _context(self, request, pk, number, form=None):
        user = request.user
        agreement = selectors.agreement_get(user=user, pk=pk)
        version = selectors.version_get(agreement=agreement, number=number)
        snapshot = _version_context(request, agreement, version)
        can_comment = can(user, "agreements.comment_on_version", version)
        services_qs = Service.objects.filter(pk__in=[s["service_id"] for s in snapshot["schedules"]]).order_by("name")
        comments = selectors.version_comments(user=user, version=version)
        return {
            "agreement": agreement,
            "version": version,
            "snapshot": snapshot,
            "total_cost": snapshot_total_cost(snapshot),
            "comments": comments,
            "can_comment": can_comment,
            "commenting_open": version.commenting_open(timezone.localdate()),
            "commenting_closed_reason": version.commenting_closed_reason(timezone.localdate()),
            "can_respond": can(user, "agreements.respond_comment", agreement),
            "form": form or (CommentForm(services=services_qs) if can_comment else None),
            "other_versions": [v for v in selectors.version_list(agreement=agreement) if v.pk != version.pk],
        }

    def get(self, request, pk, number):
        return render(request, self.template_name, self._context(request, pk, number))

    def post(self, request, pk, number):
        context = self._context(request, pk, number)
        if not context["can_comment"]:
            raise PermissionDenied
        version = context["version"]
        form = CommentForm(request.POST, services=context["form"].fields["service"].queryset)
        if form.is_valid():
            try:
                services.comment_add(version=version, author=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Thank you: your comment has been sent to the coordinator.")
                return redirect(version)
        return render(request, self.template_name, self._context(request, pk, number, form=form))


class VersionPdfView(View):
    def get(self, request, pk, number):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        version = selectors.version_get(agreement=agreement, number=number)
        snapshot = _version_context(request, agreement, version)
        from agreements.pdf import version_pdf  # WeasyPrint loads on the first PDF, not with the URLs

        pdf = version_pdf(agreement=agreement, version=version, snapshot=snapshot)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{agreement.reference}-{version.label}.pdf"'
        return response


class VersionCompareView(TemplateView):
    template_name = "agreements/version_compare.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agreement = selectors.agreement_get(user=user, pk=self.kwargs["pk"])
        versions = list(selectors.version_list(agreement=agreement))
        if len(versions) < 2:
            raise Http404("There is only one version.")
        by_number = {v.number: v for v in versions}
        try:
            old = by_number[int(self.request.GET.get("old", versions[-2].number))]
            new = by_number[int(self.request.GET.get("new", versions[-1].number))]
        except (KeyError, ValueError):
            raise Http404("No such version.") from None
        old_snap, new_snap = (
            _version_context(self.request, agreement, old),
            _version_context(self.request, agreement, new),
        )
        return super().get_context_data(
            agreement=agreement, versions=versions, old=old, new=new, redline=redline(old_snap, new_snap), **kwargs
        )


class CommentRespondView(View):
    template_name = "agreements/comment_respond.html"

    def _get(self):
        agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        return agreement, selectors.comment_get(
            user=self.request.user, agreement=agreement, pk=self.kwargs["comment_pk"]
        )

    def get(self, request, pk, comment_pk):
        agreement, comment = self._get()
        form = CommentResponseForm(
            instance=comment, initial={"status": "" if comment.status == Comment.Status.OPEN else comment.status}
        )
        return render(request, self.template_name, {"form": form, "agreement": agreement, "comment": comment})

    def post(self, request, pk, comment_pk):
        agreement, comment = self._get()
        form = CommentResponseForm(request.POST, instance=comment)
        if form.is_valid():
            try:
                services.comment_respond(comment=comment, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Comment marked as {comment.get_status_display().lower()}.")
                return redirect(comment.version)
        return render(request, self.template_name, {"form": form, "agreement": agreement, "comment": comment})


# --- Variations -------------------------------------------------------------------------------


class VariationCreateView(View):
    template_name = "agreements/variation_form.html"

    def _get(self):
        return selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["pk"], perm="agreements.propose_variation"
        )

    def get(self, request, pk):
        agreement = self._get()
        return render(request, self.template_name, {"form": VariationForm(agreement=agreement), "agreement": agreement})

    def post(self, request, pk):
        agreement = self._get()
        form = VariationForm(request.POST, agreement=agreement)
        if form.is_valid():
            try:
                variation = services.variation_propose(agreement=agreement, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request, f"Variation {variation.number} proposed: both signatories must now approve it."
                )
                return redirect(variation)
        return render(request, self.template_name, {"form": form, "agreement": agreement})


class VariationDetailView(View):
    template_name = "agreements/variation_detail.html"

    def _context(self, request, pk, number, form=None, change_form=None):
        user = request.user
        agreement = selectors.agreement_get(user=user, pk=pk)
        if not (
            can(user, "agreements.view_all_schedules", agreement) and can(user, "agreements.view_drafting", agreement)
        ):
            raise PermissionDenied
        variation = selectors.variation_get(agreement=agreement, number=number)
        party = services.party_of(agreement, user)
        decided = any(a.party == party for a in variation.approvals.all())
        can_decide = (
            can(user, "agreements.decide_variation", agreement)
            and variation.status == Variation.Status.PROPOSED
            and not decided
        )
        can_add_change = variation.status == Variation.Status.PROPOSED and can(
            user, "agreements.propose_variation", agreement
        )
        can_withdraw = variation.status in (Variation.Status.PROPOSED, Variation.Status.APPROVED) and can(
            user, "agreements.withdraw_variation", agreement
        )
        return {
            "agreement": agreement,
            "variation": variation,
            "can_decide": can_decide,
            "can_withdraw": can_withdraw,
            "form": form or (VariationDecisionForm(initial={"revision": variation.revision}) if can_decide else None),
            "change_form": change_form or (VariationChangeForm(agreement=agreement) if can_add_change else None),
        }

    def get(self, request, pk, number):
        return render(request, self.template_name, self._context(request, pk, number))

    def post(self, request, pk, number):
        context = self._context(request, pk, number)
        if not context["can_decide"]:
            raise PermissionDenied
        form = VariationDecisionForm(request.POST)
        variation = context["variation"]
        if form.is_valid():
            try:
                services.variation_decide(
                    variation=variation,
                    user=request.user,
                    revision=form.cleaned_data["revision"],
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Your decision on the variation has been recorded.")
                return redirect(variation)
        return render(request, self.template_name, self._context(request, pk, number, form=form))


class VariationAddChangeView(VariationDetailView):
    """POST-only: the coordinator adds another change to a proposed variation (earlier approvals lapse)."""

    http_method_names = ["post"]

    def post(self, request, pk, number):
        context = self._context(request, pk, number)
        if context["change_form"] is None:
            raise PermissionDenied
        variation = context["variation"]
        form = VariationChangeForm(request.POST, agreement=context["agreement"])
        if form.is_valid():
            try:
                services.variation_add_change(variation=variation, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, "Change added to the variation: both signatories must approve it.")
                return redirect(variation)
        return render(request, self.template_name, self._context(request, pk, number, change_form=form))


class VariationWithdrawView(View):
    """The coordinator withdraws a variation not yet in force, with a reason."""

    template_name = "agreements/variation_withdraw.html"

    def _get(self):
        agreement = selectors.agreement_get(
            user=self.request.user, pk=self.kwargs["pk"], perm="agreements.withdraw_variation"
        )
        variation = selectors.variation_get(agreement=agreement, number=self.kwargs["number"])
        if variation.status not in (Variation.Status.PROPOSED, Variation.Status.APPROVED):
            raise PermissionDenied
        return agreement, variation

    def get(self, request, pk, number):
        agreement, variation = self._get()
        context = {"agreement": agreement, "variation": variation, "form": WithdrawVariationForm()}
        return render(request, self.template_name, context)

    def post(self, request, pk, number):
        agreement, variation = self._get()
        form = WithdrawVariationForm(request.POST)
        if form.is_valid():
            try:
                services.variation_withdraw(variation=variation, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, f"Variation {variation.number} withdrawn.")
                return redirect(variation)
        return render(request, self.template_name, {"agreement": agreement, "variation": variation, "form": form})


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
