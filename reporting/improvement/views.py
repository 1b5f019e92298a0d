"""Improvement plan pages. Thin: load through the selectors (404 / 403), call one service,
show its ValidationError on the form. Coordinators edit their ALMO's plans; board members, the
ALMO's tenant scrutiny panel and the council's client officer read (rules.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from almo_sla.access import can
from almo_sla.form_pages import FormPage
from almo_sla.forms import add_validation_errors
from reporting.improvement import selectors, services
from reporting.improvement.forms import (
    ImprovementForm,
    IndicatorForm,
    MemberForm,
    PlanForm,
    ProgressForm,
    QuickWinForm,
    ResourceForm,
    RiskForm,
    SteeringGroupForm,
    TargetDateForm,
    TargetFormSet,
    TaskForm,
    ThemeForm,
    almo_choices,
)
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementStatus,
    ImprovementTask,
    KeyTheme,
    PerformanceIndicator,
    PlanReport,
    QuickWin,
    ResourceAllocation,
    Risk,
    SteeringGroup,
    SteeringGroupMember,
)
from reporting.improvement.sources import improvement_source

CHANGE = "reporting.change_improvementplan"


# --- Lists and pages ------------------------------------------------------------------------


class PlanListView(TemplateView):
    template_name = "reporting/improvement/plan_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "reporting.list_improvementplan"):
            raise PermissionDenied
        return super().get_context_data(
            plans=list(selectors.plan_list(user=user).order_by("almo__name", "-starts_on", "title")),
            can_add=can(user, "reporting.add_improvementplan"),
            **kwargs,
        )


class PlanDetailView(TemplateView):
    template_name = "reporting/improvement/plan_detail.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        plan = selectors.plan_get(user=user, pk=self.kwargs["pk"])
        themes = selectors.plan_themes(plan)
        risks = selectors.plan_risks(plan)
        return super().get_context_data(
            plan=plan,
            themes=themes,
            bands=[
                (1, "Priority One", [t for t in themes if t.priority == 1]),
                (2, "Priority Two", [t for t in themes if t.priority == 2]),
            ],
            progress=selectors.plan_progress(themes, today),
            missing_risks=selectors.missing_risk_assessments(themes),
            quick_wins=list(plan.quick_wins.all()),
            groups=list(plan.steering_groups.prefetch_related("members", "themes")),
            heat=selectors.heat_map(risks),
            risk_count=len(risks),
            reports=list(plan.reports.select_related("requested_by")[:5]),
            today=today,
            can_edit=selectors.plan_can(user, CHANGE, plan),
            can_approve=selectors.plan_can(user, "reporting.approve_improvementplan", plan),
            can_close=selectors.plan_can(user, "reporting.close_improvementplan", plan),
            can_report=selectors.plan_can(user, "reporting.report_improvementplan", plan),
            status_labels=dict(ImprovementStatus.choices),
            **kwargs,
        )


class RiskRegisterView(TemplateView):
    template_name = "reporting/improvement/risk_register.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plan = selectors.plan_get(user=user, pk=self.kwargs["pk"])
        risks = selectors.plan_risks(plan)
        return super().get_context_data(
            plan=plan,
            risks=risks,
            heat=selectors.heat_map(risks),
            can_edit=selectors.plan_can(user, CHANGE, plan),
            **kwargs,
        )


class ThemeDetailView(TemplateView):
    template_name = "reporting/improvement/theme_detail.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        theme = selectors.part_get(user=user, model=KeyTheme, pk=self.kwargs["pk"])
        themes = [t for t in selectors.plan_themes(theme.plan) if t.pk == theme.pk]
        theme = themes[0]
        indicators = list(theme.indicators.all())
        table = selectors.indicator_table(indicators)
        statuses = {
            s.standard.pk: s for s in selectors.standard_statuses([i.standard for i in indicators if i.standard_id])
        }
        for row in table.rows:
            row.link = statuses.get(row.indicator.standard_id)
        return super().get_context_data(
            theme=theme,
            plan=theme.plan,
            today=today,
            risks=list(theme.risks.all()),
            indicators=table,
            groups=list(theme.steering_groups.prefetch_related("members")),
            can_edit=selectors.plan_can(user, CHANGE, theme.plan),
            **kwargs,
        )


class ImprovementDetailView(TemplateView):
    template_name = "reporting/improvement/improvement_detail.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        improvement = selectors.improvement_detail(user=user, pk=self.kwargs["pk"])
        plan = improvement.theme.plan
        return super().get_context_data(
            improvement=improvement,
            plan=plan,
            theme=improvement.theme,
            today=today,
            shown_status=improvement.shown_status(today),
            standards=selectors.standard_statuses(selectors.improvement_standards(improvement)),
            can_open_source=selectors.source_is_readable(user=user, improvement=improvement),
            can_edit=selectors.plan_can(user, CHANGE, plan),
            **kwargs,
        )


class SteeringGroupDetailView(TemplateView):
    template_name = "reporting/improvement/steering_group_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        group = selectors.part_get(user=user, model=SteeringGroup, pk=self.kwargs["pk"])
        members = list(group.members.all())
        counts = {kind: sum(1 for m in members if m.kind == kind) for kind, _label in SteeringGroupMember.Kind.choices}
        return super().get_context_data(
            group=group,
            plan=group.plan,
            members=members,
            counts=counts,
            themes=list(group.themes.all()),
            can_edit=selectors.plan_can(user, CHANGE, group.plan),
            **kwargs,
        )


# --- Forms ----------------------------------------------------------------------------------


class PartFormView(FormPage):
    """A form about one part of a plan: ``load`` finds the object (or its parent, for a new
    one) through the selectors, which ask the rule (404 / 403); ``write`` calls one service
    and returns where to go."""

    template_name = "reporting/improvement/form.html"
    # Asked by the selectors in ``load``: ``CHANGE`` on the part's plan (``plan_get`` / ``part_get``),
    # or, for a new plan, ``reporting.add_improvementplan`` (``PlanCreateView.perm``).
    perm = None
    submit = "Save"
    success_message = "Saved."

    def get_object(self):
        self.load(**self.kwargs)

    def load(self, **kwargs):
        raise NotImplementedError

    def heading(self) -> str:
        raise NotImplementedError

    def back(self) -> str:
        return self.plan.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, heading=self.heading(), back_url=self.back(), submit=self.submit, **kwargs
        )


class PlanCreateView(PartFormView):
    form_class = PlanForm
    submit = "Create plan"
    perm = "reporting.add_improvementplan"
    success_message = "The plan is created as a draft."

    def load(self, **kwargs):
        self.plan = None
        self.instance = ImprovementPlan()

    def heading(self):
        return "Create an improvement plan"

    def back(self):
        return reverse("reporting:plan_list")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance, "almos": almo_choices(self.request.user)}

    def write(self, form):
        return services.plan_save(plan=form.instance, user=self.request.user)


class PlanEditView(PartFormView):
    form_class = PlanForm

    def load(self, **kwargs):
        self.plan = selectors.plan_get(user=self.request.user, pk=kwargs["pk"], perm=CHANGE)

    def heading(self):
        return "Change the plan"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.plan}

    def write(self, form):
        return services.plan_save(plan=form.instance, user=self.request.user)


class PlanActionView(View):
    """Approve (a draft, every Priority One theme risk-assessed) or close (an approved plan)."""

    http_method_names = ["post"]
    action = "approve"

    def post(self, request, pk):
        perm = f"reporting.{self.action}_improvementplan"
        plan = selectors.plan_get(user=request.user, pk=pk, perm=perm)
        try:
            if self.action == "approve":
                services.plan_approve(plan=plan, user=request.user)
                messages.success(request, "The plan is approved and is now monitored.")
            else:
                services.plan_close(plan=plan, user=request.user)
                messages.success(request, "The plan is closed.")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(plan)


class ThemeFormView(PartFormView):
    form_class = ThemeForm

    def load(self, **kwargs):
        user = self.request.user
        if "theme_pk" in kwargs:
            self.instance = selectors.part_get(user=user, model=KeyTheme, pk=kwargs["theme_pk"], perm=CHANGE)
            self.plan = self.instance.plan
        else:
            self.plan = selectors.plan_get(user=user, pk=kwargs["pk"], perm=CHANGE)
            last = self.plan.themes.order_by("-number").first()
            self.instance = KeyTheme(plan=self.plan, number=(last.number + 1) if last else 1)

    def heading(self):
        return f"Change Key Theme {self.instance.number}" if self.instance.pk else "Add a key theme"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def write(self, form):
        return services.theme_save(theme=form.instance, user=self.request.user)


class ImprovementFormView(PartFormView):
    form_class = ImprovementForm
    template_name = "reporting/improvement/improvement_form.html"
    success_message = "The improvement is saved."

    def load(self, **kwargs):
        user = self.request.user
        self.source = None
        if "improvement_pk" in kwargs:
            self.instance = selectors.part_get(user=user, model=Improvement, pk=kwargs["improvement_pk"], perm=CHANGE)
            self.theme = self.instance.theme
        else:
            self.theme = selectors.part_get(user=user, model=KeyTheme, pk=kwargs["theme_pk"], perm=CHANGE)
            self.instance = Improvement(theme=self.theme)
            self.source = improvement_source(
                user=user, query=self.request.GET if self.request.method == "GET" else self.request.POST
            )
            if self.source is not None:
                self.source.apply(self.instance)
        self.plan = self.theme.plan

    def heading(self):
        return (
            f"Change {self.instance.reference}"
            if self.instance.pk
            else f"Add an improvement to Key Theme {self.theme.number}"
        )

    def back(self):
        return self.instance.get_absolute_url() if self.instance.pk else self.theme.get_absolute_url()

    def get_initial(self):
        if self.instance.pk or self.source is None:
            return {}
        return self.source.initial()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "instance": self.instance,
            "standards": selectors.standard_choices(self.plan),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(source=self.source, theme=self.theme, **kwargs)

    def write(self, form):
        return services.improvement_save(
            improvement=form.instance, user=self.request.user, standards=form.cleaned_data["standards"]
        )


class ImprovementPartView(PartFormView):
    """Base for pages about one improvement (target date, progress, tasks, resources)."""

    def load_improvement(self, pk):
        self.improvement = selectors.part_get(user=self.request.user, model=Improvement, pk=pk, perm=CHANGE)
        self.plan = self.improvement.theme.plan

    def back(self):
        return self.improvement.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(improvement=self.improvement, **kwargs)


class TargetDateView(ImprovementPartView):
    form_class = TargetDateForm
    submit = "Change the target date"
    success_message = "The new target date is recorded with its reason."

    def load(self, **kwargs):
        self.load_improvement(kwargs["pk"])

    def heading(self):
        return f"Change the target date of {self.improvement.reference}"

    def get_initial(self):
        return {"agreed_on": timezone.localdate()}

    def write(self, form):
        services.improvement_revise_target(improvement=self.improvement, user=self.request.user, **form.cleaned_data)
        return self.improvement


class ProgressView(ImprovementPartView):
    form_class = ProgressForm
    submit = "Record progress"
    success_message = "Progress recorded."

    def load(self, **kwargs):
        self.load_improvement(kwargs["pk"])

    def heading(self):
        return f"Record progress on {self.improvement.reference}"

    def get_initial(self):
        return {"status": self.improvement.status}

    def write(self, form):
        services.improvement_progress(improvement=self.improvement, user=self.request.user, **form.cleaned_data)
        return self.improvement


class ChildFormView(ImprovementPartView):
    """Add or change a task or resource of an improvement."""

    model = None
    label = ""

    def load(self, **kwargs):
        if "child_pk" in kwargs:
            self.instance = selectors.part_get(
                user=self.request.user,
                model=self.model,
                pk=kwargs["child_pk"],
                perm=CHANGE,
                improvement_id=kwargs["pk"],
            )
            self.improvement, self.plan = self.instance.improvement, self.instance.improvement.theme.plan
        else:
            self.load_improvement(kwargs["pk"])
            self.instance = self.model(improvement=self.improvement)

    def heading(self):
        return f"{'Change' if self.instance.pk else 'Add'} a {self.label} of {self.improvement.reference}"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def write(self, form):
        services.part_save(obj=form.instance, user=self.request.user)
        return self.improvement


class TaskFormView(ChildFormView):
    model, form_class, label = ImprovementTask, TaskForm, "task"


class ResourceFormView(ChildFormView):
    model, form_class, label = ResourceAllocation, ResourceForm, "resource"


class RiskFormView(PartFormView):
    form_class = RiskForm

    def load(self, **kwargs):
        user = self.request.user
        if "risk_pk" in kwargs:
            self.instance = selectors.part_get(user=user, model=Risk, pk=kwargs["risk_pk"], perm=CHANGE)
            self.theme = self.instance.theme
        else:
            self.theme = selectors.part_get(user=user, model=KeyTheme, pk=kwargs["theme_pk"], perm=CHANGE)
            self.instance = Risk(theme=self.theme)
        self.plan = self.theme.plan

    def heading(self):
        return f"{'Change' if self.instance.pk else 'Add'} a risk to Key Theme {self.theme.number}"

    def back(self):
        return self.theme.get_absolute_url()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def write(self, form):
        services.part_save(obj=form.instance, user=self.request.user)
        return self.theme


class IndicatorFormView(PartFormView):
    form_class = IndicatorForm
    template_name = "reporting/improvement/indicator_form.html"

    def load(self, **kwargs):
        user = self.request.user
        if "indicator_pk" in kwargs:
            self.instance = selectors.part_get(
                user=user, model=PerformanceIndicator, pk=kwargs["indicator_pk"], perm=CHANGE
            )
            self.theme = self.instance.theme
        else:
            self.theme = selectors.part_get(user=user, model=KeyTheme, pk=kwargs["theme_pk"], perm=CHANGE)
            self.instance = PerformanceIndicator(theme=self.theme)
        self.plan = self.theme.plan

    def heading(self):
        return f"{'Change the' if self.instance.pk else 'Add a'} performance indicator of Key Theme {self.theme.number}"

    def back(self):
        return self.theme.get_absolute_url()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "instance": self.instance,
            "standards": selectors.standard_choices(self.plan),
        }

    def targets_formset(self):
        if self.request.method == "POST":
            return TargetFormSet(self.request.POST, prefix="targets")
        initial = (
            [
                {"financial_year": t.financial_year, "value": t.value, "note": t.note}
                for t in self.instance.targets.all()
            ]
            if self.instance.pk
            else []
        )
        start = max(
            [t["financial_year"] for t in initial],
            default=(self.instance.baseline_year or timezone.localdate().year - 1),
        )
        initial += [{"financial_year": start + n} for n in range(1, 7 - len(initial))] if len(initial) < 6 else []
        return TargetFormSet(initial=initial, prefix="targets")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            targets=kwargs.pop("targets", None) or self.targets_formset(), theme=self.theme, **kwargs
        )

    def post(self, request, *args, **kwargs):
        """The indicator's form and its targets' formset, validated and saved together."""
        form, targets = self.get_form(request.POST, request.FILES), self.targets_formset()
        if form.is_valid() and targets.is_valid():
            rows = [
                (row["financial_year"], row["value"], row["note"])
                for row in targets.cleaned_data
                if row.get("financial_year") and row.get("value") is not None
            ]
            try:
                services.indicator_save(indicator=form.instance, targets=rows, user=request.user)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "The indicator and its targets are saved.")
                return redirect(self.theme)
        return render(request, self.template_name, self.get_context_data(form=form, targets=targets))


class SteeringGroupFormView(PartFormView):
    form_class = SteeringGroupForm

    def load(self, **kwargs):
        user = self.request.user
        if "group_pk" in kwargs:
            self.instance = selectors.part_get(user=user, model=SteeringGroup, pk=kwargs["group_pk"], perm=CHANGE)
            self.plan = self.instance.plan
        else:
            self.plan = selectors.plan_get(user=user, pk=kwargs["pk"], perm=CHANGE)
            self.instance = SteeringGroup(plan=self.plan)

    def heading(self):
        return "Change the steering group" if self.instance.pk else "Add a steering group"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance, "plan": self.plan}

    def write(self, form):
        return services.steering_group_save(
            group=form.instance, themes=form.cleaned_data["themes"], user=self.request.user
        )


class MemberFormView(PartFormView):
    form_class = MemberForm
    submit = "Add member"

    def load(self, **kwargs):
        self.group = selectors.part_get(user=self.request.user, model=SteeringGroup, pk=kwargs["pk"], perm=CHANGE)
        self.plan = self.group.plan
        self.instance = SteeringGroupMember(group=self.group)

    def heading(self):
        return f"Add a member to {self.group.name}"

    def back(self):
        return self.group.get_absolute_url()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def write(self, form):
        services.part_save(obj=form.instance, user=self.request.user)
        return self.group


class MemberRemoveView(View):
    http_method_names = ["post"]

    def post(self, request, pk, member_pk):
        group = selectors.part_get(user=request.user, model=SteeringGroup, pk=pk, perm=CHANGE)
        member = group.members.filter(pk=member_pk).first()
        if member is None:
            raise Http404("No such member.")
        try:
            services.part_delete(obj=member, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{member.name} is no longer a member.")
        return redirect(group)


class QuickWinFormView(PartFormView):
    form_class = QuickWinForm

    def load(self, **kwargs):
        user = self.request.user
        if "quick_win_pk" in kwargs:
            self.instance = selectors.part_get(user=user, model=QuickWin, pk=kwargs["quick_win_pk"], perm=CHANGE)
            self.plan = self.instance.plan
        else:
            self.plan = selectors.plan_get(user=user, pk=kwargs["pk"], perm=CHANGE)
            self.instance = QuickWin(plan=self.plan)

    def heading(self):
        return "Change the quick win" if self.instance.pk else "Add a Priority Three quick win"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.instance}

    def write(self, form):
        services.part_save(obj=form.instance, user=self.request.user)
        return self.plan


# --- Progress report (PDF) -----------------------------------------------------------------


class PlanReportRequestView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk, perm="reporting.report_improvementplan")
        report = services.plan_report_request(plan=plan, user=request.user)
        messages.success(request, "The progress report is being prepared.")
        return redirect(report)


def _report_get(user, pk) -> PlanReport:
    report = PlanReport.objects.select_related("plan__almo", "requested_by").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report.")
    # whoever reads the plan reads the reports produced (asking for one is report_improvementplan)
    selectors.check(user=user, plan=report.plan, perm="reporting.view_improvementplan")
    return report


class PlanReportDetailView(TemplateView):
    template_name = "reporting/improvement/report_detail.html"

    def get_context_data(self, **kwargs):
        report = _report_get(self.request.user, self.kwargs["pk"])
        return super().get_context_data(report=report, plan=report.plan, **kwargs)


class PlanReportDownloadView(View):
    def get(self, request, pk):
        report = _report_get(request.user, pk)
        if report.status != PlanReport.Status.READY or not report.file:
            raise Http404("The report is not ready.")
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The file is missing.") from exc
        response = FileResponse(handle, as_attachment=True, filename=report.filename, content_type="application/pdf")
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ImprovementStartView(TemplateView):
    """Open an improvement from a departure, a case or a value-for-money finding: choose the plan's theme."""

    template_name = "reporting/improvement/improvement_start.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not can(user, "reporting.add_improvementplan"):
            raise PermissionDenied
        source = improvement_source(user=user, query=self.request.GET)
        if source is None:
            raise Http404("Say what the improvement comes from.")
        almo_id = source.almo_id
        plans = [
            p for p in selectors.plan_list(user=user).filter(almo_id=almo_id) if selectors.plan_can(user, CHANGE, p)
        ]
        themes = list(KeyTheme.objects.filter(plan__in=plans).select_related("plan").order_by("plan__title", "number"))
        return super().get_context_data(source=source, themes=themes, **kwargs)
