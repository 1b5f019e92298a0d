"""Variations of a live agreement: proposing one, reading and deciding it, adding a change, withdrawing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View

from agreements import selectors, services
from agreements.forms import VariationChangeForm, VariationDecisionForm, VariationForm, WithdrawVariationForm
from agreements.models import Variation
from agreements.views.agreement_pages import AgreementFormPage
from almo_sla.access import can
from almo_sla.form_pages import FormPage
from almo_sla.forms import add_validation_errors


class VariationCreateView(AgreementFormPage):
    template_name = "agreements/variation_form.html"
    form_class = VariationForm
    perm = "agreements.propose_variation"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"agreement": self.object}

    def write(self, form):
        return services.variation_propose(agreement=self.object, user=self.request.user, **form.cleaned_data)

    def get_success_message(self, variation):
        return f"Variation {variation.number} proposed: both signatories must now approve it."


class VariationDetailView(View):
    """A variation, with the signatory's decision form and the coordinator's form for another change.

    Not a ``FormPage``: two forms, each with its own rule, on a page everyone who may read the
    variation sees.
    """

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


class VariationWithdrawView(FormPage):
    """The coordinator withdraws a variation not yet in force, with a reason."""

    template_name = "agreements/variation_withdraw.html"
    form_class = WithdrawVariationForm
    perm = "agreements.withdraw_variation"  # on the agreement, and only while the variation is not in force
    context_object_name = "variation"

    def get_object(self):
        self.agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.variation_get(agreement=self.agreement, number=self.kwargs["number"])

    def get_permission_object(self):
        return self.agreement

    def has_permission(self):
        return super().has_permission() and self.object.status in (Variation.Status.PROPOSED, Variation.Status.APPROVED)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def write(self, form):
        services.variation_withdraw(variation=self.object, user=self.request.user, reason=form.cleaned_data["reason"])
        return self.object

    def get_success_message(self, variation):
        return f"Variation {variation.number} withdrawn."
