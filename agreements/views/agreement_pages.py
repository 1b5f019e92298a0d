"""An agreement's page, and drafting a new agreement or editing a draft's terms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import TemplateView

from agreements import cost_selectors, selectors, services
from agreements.confidential import may_see_confidential_costs, withhold_confidential_costs
from agreements.forms import AgreementCreateForm, AgreementForm, copy_sources
from agreements.sealed_views import seal_summary
from almo_sla.access import can
from almo_sla.form_pages import FormPage
from services.models import Almo
from services.roles import Role, almo_id_of, role_of

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


class AgreementFormPage(FormPage):
    """A form page about the agreement in the URL (``pk``)."""

    context_object_name = "agreement"

    def get_object(self):
        return selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])


class AgreementCreateView(FormPage):
    template_name = "agreements/agreement_form.html"
    form_class = AgreementCreateForm
    perm = "agreements.add_agreement"

    def get_form_kwargs(self):
        user = self.request.user
        almos = Almo.objects.all() if role_of(user) == Role.ADMINISTRATOR else Almo.objects.filter(pk=almo_id_of(user))
        signatories = services.signatory_choices(
            council_ids=almos.values_list("council_id", flat=True),
            almo_ids=almos.values_list("pk", flat=True),
            coordinator=user,
        )
        visible = selectors.agreement_list(user=user)
        return super().get_form_kwargs() | {
            "signatories": signatories,
            "almos": almos,
            "copy_sources": copy_sources(user=user, visible=visible),
        }

    def write(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "copy_from")}
        return services.agreement_create(
            user=self.request.user,
            copy_from=form.cleaned_data["copy_from"],
            council_id=data["almo"].council_id,
            **data,
        )

    def get_success_message(self, agreement):
        return f"Draft {agreement.reference} created."


class AgreementEditView(AgreementFormPage):
    template_name = "agreements/agreement_form.html"
    form_class = AgreementForm
    perm = "agreements.change_agreement"
    success_message = "Agreement saved."
    conflict = None  # the ConcurrentEditError when someone else saved the draft meanwhile

    def refuse(self):
        """An agreement past drafting is not edited: say so, and point to a variation where one can be proposed."""
        agreement, user = self.object, self.request.user
        can_vary = can(user, "agreements.propose_variation", agreement)
        can_redraft = can(user, "agreements.start_next_draft", agreement)
        if agreement.is_editable or not (can_vary or can_redraft):
            return super().refuse()
        return render(
            self.request,
            "agreements/agreement_not_editable.html",
            {"agreement": agreement, "can_vary": can_vary, "can_redraft": can_redraft},
        )

    def get_form_kwargs(self):
        agreement = self.object
        signatories = services.signatory_choices(
            council_ids=[agreement.council_id], almo_ids=[agreement.almo_id], coordinator=agreement.coordinator
        )
        return super().get_form_kwargs() | {"instance": agreement, "signatories": signatories}

    def get_context_data(self, **kwargs):
        return super().get_context_data(conflict=self.conflict, **kwargs)

    def write(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "reference")}
        try:
            services.agreement_update(
                agreement=self.object, expected_revision=form.cleaned_data["revision"] or 0, **fields
            )
        except services.ConcurrentEditError as error:
            self.conflict = error  # the page lists their changes
            form.data = form.data.copy()
            form.data["revision"] = error.current_revision  # saving again keeps yours
            raise ValidationError(
                f"{error.who} saved this draft while you were editing it. Their changes are "
                "saved: they are listed below the form's heading and in the agreement's history. "
                "Check them, then save again to keep yours."
            ) from error
        return self.object
