"""Circulated versions of an agreement: reading one (and commenting on it), its PDF, comparing two,
and the coordinator's response to a comment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from agreements import selectors, services
from agreements.forms import CommentForm, CommentResponseForm
from agreements.models import Comment
from agreements.snapshots import redline, snapshot_for_department, snapshot_total_cost
from almo_sla.access import can
from almo_sla.form_pages import FormPage
from almo_sla.forms import add_validation_errors
from services.models import Service
from services.roles import department_id_of


def _version_context(request, agreement, version):
    user = request.user
    if not can(user, "agreements.view_drafting", agreement):  # versions carry every cost
        raise PermissionDenied
    snapshot = version.snapshot
    if not can(user, "agreements.view_all_schedules", agreement):
        snapshot = snapshot_for_department(snapshot, department_id_of(user))
    return snapshot


class VersionDetailView(View):
    """A version, its comments and (for those who may comment) the comment form.

    Not a ``FormPage``: everyone who may read the version sees the page; only posting asks the
    commenting rule.
    """

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


class CommentRespondView(FormPage):
    template_name = "agreements/comment_respond.html"
    form_class = CommentResponseForm
    perm = "agreements.respond_comment"  # on the agreement
    context_object_name = "comment"

    def get_object(self):
        self.agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.comment_get(user=self.request.user, agreement=self.agreement, pk=self.kwargs["comment_pk"])

    def get_permission_object(self):
        return self.agreement

    def get_initial(self):
        comment = self.object
        return {"status": "" if comment.status == Comment.Status.OPEN else comment.status}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def write(self, form):
        services.comment_respond(comment=self.object, user=self.request.user, **form.cleaned_data)
        return self.object.version

    def get_success_message(self, version):
        return f"Comment marked as {self.object.get_status_display().lower()}."
