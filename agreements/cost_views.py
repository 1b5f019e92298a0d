"""Pages for notices and the exit planner. Thin: parse, call, render.

Their paths stay under ``/services/`` (URL names ``services:exit_planner``, ``services:notice_serve``,
``services:notice_withdraw``), as people bookmark them. The costs page (``services:costs``) shows service
credits, worked out from the quarterly returns, so it lives a layer up in ``reporting/cost_views.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from agreements import cost_selectors as selectors
from agreements import notice_writes
from agreements.exit_planning import exit_plan
from agreements.forms import ServedOnForm, ServeNoticeForm
from almo_sla.access import can
from almo_sla.forms import add_validation_errors


class ExitPlannerView(TemplateView):
    """What leaving the service would take if notice were served today or on a chosen date."""

    template_name = "services/exit_planner.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(serve_form=None))

    def get_context_data(self, serve_form=None, **kwargs):
        user = self.request.user
        schedule = selectors.schedule_with_costs_get(user=user, pk=self.kwargs["pk"], perm="agreements.view_exit_plan")
        today = timezone.localdate()
        date_form = ServedOnForm(self.request.GET or None, auto_id="plan_%s")
        served_on = today
        if date_form.is_bound and date_form.is_valid() and date_form.cleaned_data["served_on"]:
            served_on = date_form.cleaned_data["served_on"]
        elif not date_form.is_bound:
            date_form = ServedOnForm(initial={"served_on": today}, auto_id="plan_%s")
        open_notice = selectors.open_notice_for(schedule)
        plan = exit_plan(
            schedule, served_on=served_on, siblings=selectors.department_siblings(schedule), open_notice=open_notice
        )
        can_serve = can(user, "agreements.serve_notice", schedule) and open_notice is None
        if serve_form is None and can_serve:
            serve_form = ServeNoticeForm(initial={"served_on": today})
        return super().get_context_data(
            schedule=schedule,
            plan=plan,
            date_form=date_form,
            serve_form=serve_form,
            can_serve=can_serve,
            can_withdraw=open_notice is not None and can(user, "agreements.withdraw_notice", open_notice),
            today=today,
            **kwargs,
        )


class NoticeServeView(View):
    """POST only: serve notice on a service, then show it on the exit planner."""

    http_method_names = ["post"]

    def post(self, request, pk):
        schedule = selectors.schedule_with_costs_get(user=request.user, pk=pk, perm="agreements.serve_notice")
        form = ServeNoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = notice_writes.notice_serve(schedule=schedule, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Notice served on {schedule.service}: it takes effect on {notice.effective_date:%-d %B %Y}.",
                )
                return redirect("services:exit_planner", pk=schedule.pk)
        view = ExitPlannerView(request=request, kwargs={"pk": pk}, args=())
        return view.render_to_response(view.get_context_data(serve_form=form))


class NoticeWithdrawView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        notice = selectors.notice_get(user=request.user, pk=pk, perm="agreements.withdraw_notice")
        try:
            notice_writes.notice_withdraw(notice=notice, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Notice on {notice.schedule.service} withdrawn.")
        return redirect("services:exit_planner", pk=notice.schedule_id)
