"""Reads of agreements and schedules, narrowed to what a user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from agreements.confidential import visible_cost, visible_cost_total
from agreements.models import (
    Agreement,
    AgreementVersion,
    Approval,
    Comment,
    Schedule,
    ScheduleYearCost,
    Standard,
    StandardTarget,
    Variation,
    VariationChange,
)
from almo_sla.access import can
from services.models import Service
from services.periods import financial_year_label
from services.roles import Role, almo_id_of, council_id_of, department_id_of, role_of


def agreement_list(*, user) -> QuerySet[Agreement]:
    """Agreements the user may see, with the count and annual cost of the schedules they may see, in one query.

    A department officer's totals cover their own department's schedules only (the whole
    agreement's where they sign it), like every other page.
    """
    qs = Agreement.objects.select_related("almo", "council", "coordinator", "council_signatory", "almo_signatory")
    role = role_of(user)
    signatory = Q(council_signatory_id=user.pk) | Q(almo_signatory_id=user.pk)
    if role == Role.DEPARTMENT_OFFICER:
        department_id = department_id_of(user)
        # A subquery, not a join: joining schedules again would multiply the cost totals.
        covered = Schedule.objects.filter(service__department_id=department_id).values("agreement_id")
        own = Q(schedules__service__department_id=department_id) | signatory
        qs = qs.filter(Q(pk__in=covered) | signatory).annotate(
            schedule_count=Count("schedules", filter=own, distinct=True),
            total_annual_cost=Sum("schedules__annual_cost", filter=own),
        )
    else:
        qs = qs.annotate(
            schedule_count=Count("schedules", distinct=True), total_annual_cost=visible_cost_total(user, "schedules__")
        )
    qs = qs.order_by("-start_date", "reference")
    if role == Role.ADMINISTRATOR:
        return qs
    if role in (Role.COORDINATOR, Role.BOARD_MEMBER):
        return qs.filter(Q(almo_id=almo_id_of(user)) | signatory)
    if role == Role.DEPARTMENT_OFFICER:
        return qs
    if role == Role.PANEL_MEMBER:  # the ALMO's settled agreements; drafts are still being negotiated
        return qs.filter(almo_id=almo_id_of(user), status__in=Agreement.REPORTABLE_STATUSES)
    if role == Role.COUNCIL_OFFICER:
        return qs.filter(council_id=council_id_of(user))
    return qs.none()


def agreement_get(*, user, pk: int, perm: str = "agreements.view_agreement") -> Agreement:
    """The agreement ``pk`` if the user may see it (404 otherwise) and holds ``perm`` now (403).

    The rules include the state each action needs, for administrators too (``almo_sla.access``).
    """
    agreement = agreement_list(user=user).filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement.")
    if not can(user, perm, agreement):
        raise PermissionDenied
    return agreement




def schedule_list(*, user, agreement: Agreement) -> QuerySet[Schedule]:
    """The agreement's schedules the user may see, with standards and targets prefetched."""
    qs = (
        agreement.schedules.select_related("service", "service__department")
        .prefetch_related(
            Prefetch(
                "standards",
                queryset=Standard.objects.prefetch_related(
                    Prefetch("targets", queryset=StandardTarget.objects.order_by("effective_from"))
                ),
            )
        )
        .order_by("service__department__name", "service__name")
    )
    if not can(user, "agreements.view_all_schedules", agreement):
        qs = qs.filter(service__department_id=department_id_of(user))
    return qs


def schedule_get(*, user, agreement: Agreement, pk: int) -> Schedule:
    schedule = schedule_list(user=user, agreement=agreement).filter(pk=pk).first()
    if schedule is None:
        raise Http404("No such schedule.")
    return schedule


def schedules_all(*, user) -> QuerySet[Schedule]:
    """Every schedule the user may see, across the agreements they may see (the schedules list)."""
    qs = Schedule.objects.filter(agreement__in=agreement_list(user=user).values("pk")).select_related(
        "agreement", "service", "service__department"
    ).annotate(visible_annual_cost=visible_cost(user)).order_by(
        "agreement__reference", "service__department__name", "service__name"
    )
    if role_of(user) == Role.DEPARTMENT_OFFICER:
        qs = qs.filter(
            Q(service__department_id=department_id_of(user))
            | Q(agreement__council_signatory_id=user.pk)
            | Q(agreement__almo_signatory_id=user.pk)
        )
    return qs


def version_list(*, agreement: Agreement) -> QuerySet[AgreementVersion]:
    return agreement.versions.select_related("created_by").annotate(comment_count=Count("comments")).order_by("number")


def version_get(*, agreement: Agreement, number: int) -> AgreementVersion:
    version = agreement.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return version


def version_comments(*, user, version: AgreementVersion) -> list[Comment]:
    """The coordinator (and admin, board, signatories) see all comments; others see their own."""
    qs = version.comments.select_related("author", "service", "responded_by").order_by("created_at", "pk")
    if not can(user, "agreements.view_all_schedules", version.agreement):
        qs = qs.filter(author=user)
    return list(qs)


def comment_get(*, user, agreement: Agreement, pk: int) -> Comment:
    comment = Comment.objects.select_related("version", "service", "author").filter(
        version__agreement=agreement, pk=pk
    ).first()
    if comment is None:
        raise Http404("No such comment.")
    if not can(user, "agreements.respond_comment", agreement):
        raise PermissionDenied
    return comment


def variation_list(*, agreement: Agreement, with_approvals: bool = True) -> list[Variation]:
    qs = agreement.variations.select_related("proposed_by", "superseded_version", "resulting_version").prefetch_related(
        Prefetch("changes", queryset=VariationChange.objects.select_related("schedule__service")),
    )
    if with_approvals:
        qs = qs.prefetch_related(Prefetch("approvals", queryset=Approval.objects.select_related("user")))
    return list(qs.order_by("-number"))


def variation_get(*, agreement: Agreement, number: int) -> Variation:
    for variation in variation_list(agreement=agreement):
        if variation.number == number:
            return variation
    raise Http404("No such variation.")


def signoff_approvals(*, agreement: Agreement) -> list[Approval]:
    return list(agreement.approvals.filter(variation__isnull=True).select_related("user", "version"))


HISTORY_MODELS = [
    (Agreement, "Agreement"),
    (Schedule, "Schedule"),
    (Standard, "Standard"),
    (StandardTarget, "Target"),
    (ScheduleYearCost, "Yearly cost"),
    (AgreementVersion, "Version"),
    (Comment, "Comment"),
    (Approval, "Approval"),
    (Variation, "Variation"),
    (VariationChange, "Variation change"),
]
_SKIP = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
         "history_user_id", "history_relation", "snapshot", "updated_at", "created_at"}


def _changed_fields(record, previous) -> list[tuple[str, str, str]]:
    changes = []
    for f in record._meta.fields:
        if f.attname in _SKIP or f.name in _SKIP or f.attname.endswith("_id") or f.name in ("revision", "position"):
            continue
        new, old = getattr(record, f.attname), getattr(previous, f.attname) if previous else None
        if previous is None and new in (None, ""):
            continue
        if old != new:
            label = str(getattr(f, "verbose_name", f.name))
            changes.append((label, "" if old is None else str(old), "" if new is None else str(new)))
    return changes


def agreement_history(*, agreement: Agreement) -> list[dict]:
    """Every recorded change to the agreement and what hangs off it, newest first, with who, when and what."""
    pk = agreement.pk
    schedule_ids = set(Schedule.history.filter(agreement_id=pk).values_list("id", flat=True))
    standard_ids = set(Standard.history.filter(schedule_id__in=schedule_ids).values_list("id", flat=True))
    version_ids = set(AgreementVersion.history.filter(agreement_id=pk).values_list("id", flat=True))
    variation_ids = set(Variation.history.filter(agreement_id=pk).values_list("id", flat=True))
    filters = {
        Agreement: Q(id=pk),
        Schedule: Q(id__in=schedule_ids),
        Standard: Q(id__in=standard_ids),
        StandardTarget: Q(standard_id__in=standard_ids),
        ScheduleYearCost: Q(schedule_id__in=schedule_ids),
        AgreementVersion: Q(id__in=version_ids),
        Comment: Q(version_id__in=version_ids),
        Approval: Q(agreement_id=pk),
        Variation: Q(id__in=variation_ids),
        VariationChange: Q(variation_id__in=variation_ids),
    }
    service_ids = set(Schedule.history.filter(agreement_id=pk).values_list("service_id", flat=True))
    service_names = dict(Service.objects.filter(pk__in=service_ids).values_list("pk", "name"))
    entries = []
    for model, label in HISTORY_MODELS:
        records = list(model.history.filter(filters[model]).select_related("history_user").order_by("id", "history_date", "history_id"))
        previous = {}
        for record in records:
            before = previous.get(record.id)
            entries.append({
                "when": record.history_date,
                "who": record.history_user,
                "what": label,
                "object": service_names.get(record.service_id, "") if label == "Schedule" else _describe(record, label),
                "action": {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
                "changes": [] if record.history_type == "-" else _changed_fields(record, before),
            })
            previous[record.id] = record
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _describe(record, label: str) -> str:
    if label == "Agreement":
        return record.reference
    if label == "Version":
        return f"v{record.number} ({record.get_purpose_display().lower()})"
    if label == "Variation":
        return f"Variation {record.number}"
    if label == "Comment":
        return f"Comment {record.id}"
    if label == "Approval":
        return f"{record.get_party_display()} {record.get_decision_display().lower()}"
    if label in ("Standard",):
        return record.title
    if label == "Target":
        return f"from {record.effective_from:%-d %B %Y}"
    if label == "Yearly cost":
        return financial_year_label(record.financial_year)
    if label == "Schedule":
        return f"Schedule {record.id}"
    return str(record.id)
