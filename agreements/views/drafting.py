"""The drafting workflow: circulating a draft for comment, moving on (the next draft, sending for
sign-off), and the signatories approving or declining the final version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View

from agreements import selectors, services
from agreements.forms import CirculateForm, DeclineForm, MoveOnForm, SignoffForm
from agreements.views.agreement_pages import AgreementFormPage


class CirculateView(AgreementFormPage):
    template_name = "agreements/agreement_circulate.html"
    form_class = CirculateForm
    perm = "agreements.circulate_agreement"

    def write(self, form):
        return services.agreement_circulate(
            agreement=self.object, user=self.request.user, comment_deadline=form.cleaned_data["comment_deadline"]
        )

    def get_success_message(self, version):
        return f"{version.label} circulated for comment until {version.comment_deadline:%-d %B %Y}."


class MoveOnView(AgreementFormPage):
    """A confirmation page (GET) for a drafting step that says what will happen, then the step (POST).

    With the comment window open or comments unanswered the step needs a reason, which is recorded.
    The POST URL is the one the old one-click button used, so it keeps working. A subclass names
    the ``perm``, ``step``, ``heading`` and ``button``, says ``what_happens`` and does it in ``act``.
    """

    template_name = "agreements/agreement_move_on.html"
    form_class = MoveOnForm
    heading = ""
    button = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            window=services.comment_window(agreement=self.object),
            heading=self.heading,
            button=self.button,
            what_happens=self.what_happens(self.object),
            step=self.step,
            **kwargs,
        )

    def write(self, form):
        return self.act(self.object, form.cleaned_data["reason"])  # the success message

    def get_success_message(self, message):
        return message

    def get_success_url(self, message):
        return self.object


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
    """POST-only: a signatory approves the final version they read (its number is in the form).

    Not a ``FormPage``: there is no page to show again; a refusal is a message on the agreement's page.
    """

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


class DeclineAgreementView(AgreementFormPage):
    """A signatory declines the final version with a reason: the agreement goes back to draft."""

    template_name = "agreements/agreement_decline.html"
    form_class = DeclineForm
    perm = "agreements.approve_agreement"

    def get_object(self):
        agreement = super().get_object()
        self.version = agreement.versions.order_by("-number").first()
        return agreement

    def get_initial(self):
        return {"version_number": self.version.number if self.version else None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, **kwargs)

    def write(self, form):
        return services.agreement_decline(
            agreement=self.object,
            user=self.request.user,
            version_number=form.cleaned_data["version_number"],
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, approval):
        return (
            f"You declined {approval.version.label}: the agreement is a draft again and "
            "the coordinator can see your reason."
        )

    def get_success_url(self, approval):
        return self.object
