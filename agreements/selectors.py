"""Reads of agreements and schedules, narrowed to what a user may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst

from agreements.confidential import visible_cost, visible_cost_total
from agreements.models import (
    Agreement,
    AgreementVersion,
    Approval,
    Comment,
    DraftingStep,
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

HistoricalVariationChange = VariationChange.history.model


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


def schedule_summaries(*, user, agreement: Agreement) -> QuerySet[Schedule]:
    """The agreement page's schedule rows: the same schedules as ``schedule_list``, with only the
    standards' titles (no targets, which that page does not show)."""
    titles = Standard.objects.only("id", "schedule_id", "title", "position").order_by("position", "pk")
    return (
        schedule_list(user=user, agreement=agreement)
        .prefetch_related(None)
        .prefetch_related(Prefetch("standards", queryset=titles))
    )


def schedule_get(*, user, agreement: Agreement, pk: int) -> Schedule:
    schedule = schedule_list(user=user, agreement=agreement).filter(pk=pk).first()
    if schedule is None:
        raise Http404("No such schedule.")
    return schedule


def schedules_all(*, user) -> QuerySet[Schedule]:
    """Every schedule the user may see, across the agreements they may see (the schedules list)."""
    qs = (
        Schedule.objects.filter(agreement__in=agreement_list(user=user).values("pk"))
        .select_related("agreement", "service", "service__department")
        .annotate(visible_annual_cost=visible_cost(user))
        .order_by("agreement__reference", "service__department__name", "service__name")
    )
    if role_of(user) == Role.DEPARTMENT_OFFICER:
        qs = qs.filter(
            Q(service__department_id=department_id_of(user))
            | Q(agreement__council_signatory_id=user.pk)
            | Q(agreement__almo_signatory_id=user.pk)
        )
    return qs


SCHEDULE_EXPORT_HEADERS = [
    "Agreement",
    "Service",
    "Department",
    "HRA-funded",
    "Agreement status",
    "Notice period",
    "Annual cost",
]


def schedule_export_rows(*, schedules: QuerySet[Schedule], show_confidential_costs: bool = True):
    """The schedules list's export rows for ``schedules`` (already narrowed and filtered), from one values
    query; a commercially confidential cost is left out for readers who may not see it."""
    statuses = dict(Agreement.Status.choices)
    rows = schedules.values_list(
        "agreement__reference",
        "service__name",
        "service__department__name",
        "service__hra_funded",
        "agreement__status",
        "notice_period_months",
        "annual_cost",
        "commercially_confidential",
    )
    for reference, service, department, hra, status, notice, cost, confidential in rows:
        if confidential and not show_confidential_costs:
            cost = "Commercially confidential"
        yield reference, service, department, hra, statuses.get(status, status), notice, cost


def version_list(*, agreement: Agreement) -> QuerySet[AgreementVersion]:
    """The agreement's versions, without their snapshots (0.5 MB each at scale): a page that
    needs one loads it on access."""
    return (
        agreement.versions.select_related("created_by")
        .defer("snapshot")
        .annotate(comment_count=Count("comments"))
        .order_by("number")
    )


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
    comment = (
        Comment.objects.select_related("version", "service", "author")
        .filter(version__agreement=agreement, pk=pk)
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    if not can(user, "agreements.respond_comment", agreement):
        raise PermissionDenied
    return comment


def variation_list(*, agreement: Agreement, with_approvals: bool = True) -> list[Variation]:
    qs = agreement.variations.select_related("proposed_by", "superseded_version", "resulting_version").prefetch_related(
        Prefetch(
            "changes", queryset=VariationChange.objects.select_related("schedule__service", "service", "standard")
        ),
    )
    if with_approvals:
        qs = qs.prefetch_related(Prefetch("approvals", queryset=Approval.objects.select_related("user")))
    return list(qs.order_by("-number"))


def variation_get(*, agreement: Agreement, number: int) -> Variation:
    for variation in variation_list(agreement=agreement):
        if variation.number == number:
            return variation
    raise Http404("No such variation.")


def drafting_steps(*, agreement: Agreement) -> list[DraftingStep]:
    """Deliberate drafting steps (moving on, sending for sign-off), newest first, with who took them."""
    return list(agreement.drafting_steps.select_related("user", "version").order_by("-created_at", "-pk"))


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
    (DraftingStep, "Drafting step"),
]
_SKIP = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_relation",
    "snapshot",
    "updated_at",
    "created_at",
    "revision",
    "position",
    "decided_at",
    "granted_at",
    "sent_at",
}
_MONEY_FIELDS = {"annual_cost", "amount"}


class _Names:
    """Names of the objects history records point at, fetched in one query per related model."""

    def __init__(self):
        self.wanted: dict = {}
        self.names: dict = {}

    def want(self, model, pk):
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def load(self):
        User = get_user_model()
        for model, pks in self.wanted.items():
            if model is User:
                rows = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=pks)}
            elif model is Schedule:
                rows = dict(Schedule.objects.filter(pk__in=pks).values_list("pk", "service__name"))
            elif model in (AgreementVersion, Variation):
                prefix = "v" if model is AgreementVersion else "Variation "
                rows = {pk: f"{prefix}{n}" for pk, n in model.objects.filter(pk__in=pks).values_list("pk", "number")}
            else:
                rows = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=pks)}
            self.names[model] = rows

    def name(self, model, pk) -> str:
        if pk is None:
            return ""
        return self.names.get(model, {}).get(pk, "(deleted)")


# The link to the parent each record hangs off (and the agreement's fixed parties): the entry's
# description already says where it belongs, so they are not listed as changes.
_PARENT_LINKS = {
    "Agreement": {"council", "almo"},
    "Schedule": {"agreement"},
    "Standard": {"schedule"},
    "StandardTarget": {"standard"},
    "ScheduleYearCost": {"schedule"},
    "AgreementVersion": {"agreement"},
    "Comment": {"version"},
    "Approval": {"agreement"},
    "Variation": {"agreement"},
    "VariationChange": {"variation"},
    "DraftingStep": {"agreement"},
}


def _history_fields(record):
    parents = _PARENT_LINKS.get(record.instance_type.__name__, set())
    for f in record._meta.fields:
        if f.attname in _SKIP or f.name in _SKIP or f.name.startswith("history_") or f.name in parents:
            continue
        yield f


def _show(f, value, names: _Names, record) -> str:
    """A stored value as a board member reads it: choice labels, names, local dates, pounds."""
    if value is None or value == "":
        return ""
    if f.is_relation:
        return names.name(f.related_model, value)
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, Decimal):
        if f.name in _MONEY_FIELDS:
            return f"£{value:,.0f}" if value == value.to_integral() else f"£{value:,.2f}"
        return f"{value.normalize():f}"
    if isinstance(record, HistoricalVariationChange) and f.name in ("old_value", "new_value"):
        return VariationChange(field=record.field, standard_id=record.standard_id).display(value)
    return str(value)


def _changed_fields(record, previous, names: _Names) -> list[tuple[str, str, str]]:
    changes = []
    for f in _history_fields(record):
        new, old = getattr(record, f.attname), getattr(previous, f.attname) if previous else None
        if previous is None and new in (None, ""):
            continue
        if old != new:
            label = capfirst(str(getattr(f, "verbose_name", f.name)))
            changes.append((label, _show(f, old, names, record), _show(f, new, names, record)))
    return changes


def agreement_history(*, agreement: Agreement) -> list[dict]:
    """Every recorded change to the agreement and what hangs off it, newest first, with who, when and what.

    Readable by a board member: field labels, choice labels, names for people and services, local
    dates; an entry that changed nothing anyone reads (only a revision counter) is left out.
    """
    pk = agreement.pk
    # Subqueries, not lists: one query per kind of record whatever the agreement holds.
    schedule_ids = Schedule.history.filter(agreement_id=pk).values("id")
    standard_ids = Standard.history.filter(schedule_id__in=schedule_ids).values("id")
    version_ids = AgreementVersion.history.filter(agreement_id=pk).values("id")
    variation_ids = Variation.history.filter(agreement_id=pk).values("id")
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
        DraftingStep: Q(agreement_id=pk),
    }
    names = _Names()
    loaded = []
    for model, label in HISTORY_MODELS:
        records = (
            model.history.filter(filters[model])
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        if model is AgreementVersion:
            records = records.defer("snapshot")  # 0.5 MB each at scale, and never shown here
        records = list(records)
        for record in records:
            for f in _history_fields(record):
                if f.is_relation:
                    names.want(f.related_model, getattr(record, f.attname))
        loaded.append((label, records))
    names.load()
    entries = []
    for label, records in loaded:
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            changes = [] if record.history_type == "-" else _changed_fields(record, before, names)
            if record.history_type == "~" and not changes:
                continue
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": label,
                    "object": _describe(record, label, names),
                    "action": {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type],
                    "reason": record.history_change_reason or "",
                    "changes": changes,
                }
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries


def _describe(record, label: str, names: _Names) -> str:
    if label == "Agreement":
        return record.reference
    if label == "Schedule":
        return names.name(Service, record.service_id)
    if label == "Version":
        return f"v{record.number} ({record.get_purpose_display().lower()})"
    if label == "Variation":
        return f"Variation {record.number}"
    if label == "Variation change":
        return names.name(Schedule, record.schedule_id)
    if label == "Comment":
        where = names.name(Service, record.service_id) if record.service_id else "the whole agreement"
        return f"on {where} by {names.name(get_user_model(), record.author_id)}"
    if label == "Approval":
        what = (
            names.name(Variation, record.variation_id)
            if record.variation_id
            else names.name(AgreementVersion, record.version_id)
        )
        return f"{record.get_party_display()} {record.get_decision_display().lower()} {what}".strip()
    if label == "Drafting step":
        return record.get_kind_display()
    if label == "Standard":
        return record.title
    if label == "Target":
        return f"from {record.effective_from:%-d %B %Y}"
    if label == "Yearly cost":
        return financial_year_label(record.financial_year)
    return str(record.id)
