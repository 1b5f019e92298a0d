"""Writes for improvement plans. Keyword-only; state rules checked here too (superusers pass
django-rules); failures are ``ValidationError`` with a message for the form."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from almo_sla.queue import enqueue_on_commit
from reporting.improvement.models import (
    Improvement,
    ImprovementPlan,
    ImprovementStatus,
    IndicatorTarget,
    KeyTheme,
    PerformanceIndicator,
    PlanReport,
    Priority,
    ProgressComment,
    TargetDateRevision,
    plan_of,
)
from reporting.improvement.report import plan_report_pdf


def _check_open(plan: ImprovementPlan) -> None:
    """Read from the database: the plan in hand may be stale (closed meanwhile)."""
    if (
        plan.status == ImprovementPlan.Status.CLOSED
        or ImprovementPlan.objects.filter(pk=plan.pk, status=ImprovementPlan.Status.CLOSED).exists()
    ):
        raise ValidationError("This plan is closed: nothing in it can change.")


def plan_problems(plan: ImprovementPlan) -> list[str]:
    """What stops the plan being approved: a Priority One theme without a risk assessment, or no themes."""
    themes = list(plan.themes.annotate(risk_count=models.Count("risks")).order_by("number"))
    if not themes:
        return ["The plan has no key themes yet."]
    return [
        f"Key Theme {t.number} ({t.title}) is Priority One and needs a risk assessment."
        for t in themes
        if t.priority == Priority.ONE and not t.risk_count
    ]


def plan_save(*, plan: ImprovementPlan, user) -> ImprovementPlan:
    if plan.pk:
        _check_open(plan)
    plan.full_clean()
    plan.save()
    return plan


def plan_approve(*, plan: ImprovementPlan, user, today: dt.date | None = None) -> ImprovementPlan:
    """Approve a draft plan for monitoring: every Priority One theme must have its risk assessment."""
    with transaction.atomic():
        plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != ImprovementPlan.Status.DRAFT:
            raise ValidationError("Only a draft plan can be approved.")
        problems = plan_problems(plan)
        if problems:
            raise ValidationError(problems)
        plan.status, plan.approved_on, plan.approved_by = (
            ImprovementPlan.Status.APPROVED,
            today or timezone.localdate(),
            user,
        )
        plan.save(update_fields=["status", "approved_on", "approved_by", "updated_at"])
    return plan


def plan_close(*, plan: ImprovementPlan, user) -> ImprovementPlan:
    with transaction.atomic():
        plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != ImprovementPlan.Status.APPROVED:
            raise ValidationError("Only an approved plan can be closed.")
        plan.status = ImprovementPlan.Status.CLOSED
        plan.save(update_fields=["status", "updated_at"])
    return plan


def part_save(*, obj, user):
    """Save a part of a plan (theme, task, resource, risk, quick win, steering group or member)."""
    _check_open(plan_of(obj))
    obj.full_clean()
    obj.save()
    return obj


def part_delete(*, obj, user) -> None:
    _check_open(plan_of(obj))
    obj.delete()


def steering_group_save(*, group, themes, user):
    """Save a steering group and the themes it steers (themes of its own plan only)."""
    _check_open(group.plan)
    themes = list(themes)
    if any(t.plan_id != group.plan_id for t in themes):
        raise ValidationError({"themes": "Choose themes of this plan."})
    with transaction.atomic():
        group.full_clean()
        group.save()
        group.themes.set(themes)
    return group


def improvement_save(*, improvement: Improvement, user, standards=None) -> Improvement:
    """Create or change an improvement. A new one's target date is its original; later changes
    of the date go through ``improvement_revise_target`` so that every revision is kept."""
    theme = improvement.theme
    _check_open(theme.plan)
    standards = list(standards or [])
    allowed_almo = theme.plan.almo_id
    if any(s.schedule.agreement.almo_id != allowed_almo for s in standards):
        raise ValidationError({"standards": "Choose standards of this ALMO's agreements."})
    source = improvement.source_departure or improvement.source_case or improvement.source_schedule
    if source is not None:
        source_almo = (
            improvement.source_departure.result.quarterly_return.agreement.almo_id
            if improvement.source_departure_id
            else improvement.source_case.agreement.almo_id
            if improvement.source_case_id
            else improvement.source_schedule.agreement.almo_id
        )
        if source_almo != allowed_almo:
            raise ValidationError("The departure, case or finding belongs to another ALMO.")
    with transaction.atomic():
        if improvement.pk is None:
            improvement.created_by = user
            improvement.original_target_date = improvement.target_date
        else:
            stored = Improvement.objects.get(pk=improvement.pk)
            if stored.target_date != improvement.target_date:
                raise ValidationError({"target_date": "Change the target date with its reason and who agreed it."})
        if improvement.status == ImprovementStatus.DONE and improvement.completed_on is None:
            improvement.completed_on = timezone.localdate()
        improvement.full_clean()
        improvement.save()
        if standards is not None:
            improvement.standards.set(standards)
    return improvement


def improvement_revise_target(
    *, improvement: Improvement, user, new_date: dt.date, reason: str, agreed_by: str, agreed_on: dt.date
) -> TargetDateRevision:
    _check_open(improvement.theme.plan)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the target date is changing."})
    if not agreed_by.strip():
        raise ValidationError({"agreed_by": "Enter who agreed the new date."})
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "The date it was agreed cannot be in the future."})
    with transaction.atomic():
        improvement = Improvement.objects.select_for_update().get(pk=improvement.pk)
        if improvement.status == ImprovementStatus.DONE:
            raise ValidationError("This improvement is done: its target date no longer changes.")
        if new_date == improvement.target_date:
            raise ValidationError({"new_date": "The new target date is the same as the current one."})
        revision = TargetDateRevision.objects.create(
            improvement=improvement,
            from_date=improvement.target_date,
            to_date=new_date,
            reason=reason.strip(),
            agreed_by=agreed_by.strip(),
            agreed_on=agreed_on,
            recorded_by=user,
        )
        improvement.target_date = new_date
        improvement.save(update_fields=["target_date", "updated_at"])
    return revision


def improvement_progress(
    *, improvement: Improvement, user, body: str, status: str, completed_on: dt.date | None = None
) -> ProgressComment:
    """Record progress and the status it leaves the improvement in."""
    _check_open(improvement.theme.plan)
    if not body.strip():
        raise ValidationError({"body": "Enter the progress made."})
    if status == ImprovementStatus.DONE and completed_on is None:
        completed_on = timezone.localdate()
    if completed_on and completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date cannot be in the future."})
    with transaction.atomic():
        improvement.status = status
        improvement.completed_on = completed_on if status == ImprovementStatus.DONE else None
        improvement.full_clean()
        improvement.save(update_fields=["status", "completed_on", "updated_at"])
        return ProgressComment.objects.create(improvement=improvement, body=body.strip(), status=status, by=user)


def indicator_save(
    *, indicator: PerformanceIndicator, targets: list[tuple[int, object, str]], user
) -> PerformanceIndicator:
    """Save an indicator with its yearly targets [(financial year, value, footnote)], replacing the old ones."""
    _check_open(indicator.theme.plan)
    if indicator.standard_id and indicator.standard.schedule.agreement.almo_id != indicator.theme.plan.almo_id:
        raise ValidationError({"standard": "Choose a standard of this ALMO's agreements."})
    years = [year for year, _value, _note in targets]
    if len(years) != len(set(years)):
        raise ValidationError("Each financial year takes one target.")
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        indicator.targets.exclude(financial_year__in=years).delete()
        for year, value, note in targets:
            IndicatorTarget.objects.update_or_create(
                indicator=indicator, financial_year=year, defaults={"value": value, "note": note or ""}
            )
    return indicator


def theme_save(*, theme: KeyTheme, user) -> KeyTheme:
    _check_open(theme.plan)
    if theme.plan.themes.exclude(pk=theme.pk).filter(number=theme.number).exists():
        raise ValidationError({"number": f"The plan already has a Key Theme {theme.number}."})
    theme.full_clean()
    theme.save()
    return theme


# --- Progress reports (PDF, rendered by a Celery worker) ------------------------------------


def plan_report_request(*, plan: ImprovementPlan, user) -> PlanReport:
    """Record the request and queue its rendering once the transaction commits."""
    from reporting.improvement.tasks import render_plan_report  # noqa: PLC0415 - tasks import this module

    report = PlanReport.objects.create(plan=plan, requested_by=user)

    def failed():
        PlanReport.objects.filter(pk=report.pk, status=PlanReport.Status.QUEUED).update(
            status=PlanReport.Status.FAILED, failure_reason="The task queue is unavailable: ask again in a few minutes."
        )

    enqueue_on_commit(render_plan_report, report.pk, on_failure=failed)
    return report


def plan_report_render(*, report_id: int) -> PlanReport | None:
    """Render a queued report once: the conditional update claims it, so a redelivered task does nothing twice."""
    claimed = PlanReport.objects.filter(pk=report_id, status=PlanReport.Status.QUEUED).update(
        status=PlanReport.Status.RENDERING
    )
    if not claimed:
        return None
    report = PlanReport.objects.select_related("plan__almo").get(pk=report_id)
    try:
        pdf, pages = plan_report_pdf(plan=report.plan)
    except Exception as exc:  # noqa: BLE001 - recorded on the report for the user; the task logs it
        report.status, report.failure_reason, report.finished_at = (
            PlanReport.Status.FAILED,
            str(exc)[:500],
            timezone.now(),
        )
        report.save(update_fields=["status", "failure_reason", "finished_at"])
        raise
    report.file.save(report.filename, ContentFile(pdf), save=False)
    report.status, report.pages, report.size, report.finished_at = (
        PlanReport.Status.READY,
        pages,
        len(pdf),
        timezone.now(),
    )
    report.save(update_fields=["file", "status", "pages", "size", "finished_at"])
    return report
