"""Your tasks: what is waiting for the signed-in person, for the top of the dashboard and the
counts in the navigation.

Each group is read with one query for its first ``LIMIT`` items and their total (a window
count), whatever the amount of data, and narrowed by the same rules as the pages the items
link to (``agreements.rules``, ``reporting.rules``): comments to answer and returns to review
for whoever coordinates the agreement; approvals for the named signatory whose party has not
yet decided; returns to fill or fix for the department's officers; remedial actions past
their date for whoever may resolve them; notices about to take effect for those who see
notices. ``task_counts`` reads the counts alone, in one query, for every page's navigation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.urls import reverse

from agreements.cost_selectors import notices_open
from agreements.models import Agreement, AgreementVersion, Approval, Comment, ServiceNotice, Variation
from almo_sla.access import can
from reporting.models import Departure, QuarterlyReturn
from reporting.selectors import returns_visible
from services.periods import Quarter
from services.roles import Role, almo_id_of, department_id_of, role_of

LIMIT = 10
GROUP_KEYS = ("comments", "approvals", "fill", "review", "actions", "notices")
NOTICE_WINDOW_DAYS = 90  # "about to take effect": within the next three months


@dataclass
class Task:
    label: str
    url: str
    hint: str = ""
    tag: str = ""  # a status word shown beside it ("Overdue")
    tag_colour: str = ""


@dataclass
class TaskGroup:
    key: str
    title: str
    count: int = 0
    items: list[Task] = field(default_factory=list)
    rows: int | None = None  # how many items there are, when one item stands for several (comments per version)

    @property
    def more(self) -> int:
        return max((self.count if self.rows is None else self.rows) - len(self.items), 0)


@dataclass
class YourTasks:
    groups: list[TaskGroup]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def waiting(self) -> list[TaskGroup]:
        return [g for g in self.groups if g.count]


# --- Who each group is for, as querysets (the rules' twins in SQL) ----------------------------------


def _coordinated_agreements(user) -> QuerySet[Agreement] | None:
    """Agreements the user coordinates under ``agreements.rules.coordinates``: all for administrators,
    their ALMO's for coordinators; None for everyone else."""
    role = role_of(user)
    if role == Role.ADMINISTRATOR:
        return Agreement.objects.all()
    if role == Role.COORDINATOR:
        return Agreement.objects.filter(almo_id=almo_id_of(user))
    return None


def open_comments(user) -> QuerySet[Comment] | None:
    """Open comments on agreements the user coordinates (``agreements.respond_comment``)."""
    agreements = _coordinated_agreements(user)
    if agreements is None:
        return None
    return Comment.objects.filter(status=Comment.Status.OPEN, version__agreement__in=agreements.values("pk"))


def comments_to_answer(user) -> QuerySet | None:
    """``open_comments`` grouped by version (one row per version, with how many)."""
    comments = open_comments(user)
    if comments is None:
        return None
    return (
        comments.values(
            "version__agreement_id", "version__agreement__reference", "version__number", "version__comment_deadline"
        )
        .annotate(n=Count("pk"))
        .order_by("version__comment_deadline", "version__agreement__reference", "version__number")
    )


def _party_is_user(user, prefix: str = "") -> Q:
    return Q(**{"party": Approval.Party.COUNCIL, f"{prefix}council_signatory": user}) | Q(
        **{"party": Approval.Party.ALMO, f"{prefix}almo_signatory": user}
    )


def agreements_to_approve(user) -> QuerySet[Agreement]:
    """Agreements awaiting sign-off where the user is a named signatory whose party has not yet
    decided on the final version."""
    latest = AgreementVersion.objects.filter(agreement=OuterRef("pk")).order_by("-number").values("pk")[:1]
    decided = Approval.objects.filter(_party_is_user(user, "agreement__"), version_id=OuterRef("latest_version"))
    return (
        Agreement.objects.filter(status=Agreement.Status.AWAITING_SIGNATURE)
        .filter(Q(council_signatory=user) | Q(almo_signatory=user))
        .alias(latest_version=Subquery(latest))
        .exclude(Exists(decided))
        .order_by("reference")
    )


def variations_to_decide(user) -> QuerySet[Variation]:
    """Proposed variations on which the user, as a named signatory, has not decided."""
    decided = Approval.objects.filter(_party_is_user(user, "agreement__"), variation=OuterRef("pk"))
    return (
        Variation.objects.filter(status=Variation.Status.PROPOSED)
        .filter(Q(agreement__council_signatory=user) | Q(agreement__almo_signatory=user))
        .exclude(Exists(decided))
        .select_related("agreement")
        .order_by("effective_date", "pk")
    )


def returns_to_fill(user, today: dt.date) -> QuerySet[QuarterlyReturn] | None:
    """For a department officer: their department's returns queried back, or not submitted once
    their quarter has ended."""
    if role_of(user) != Role.DEPARTMENT_OFFICER:
        return None
    current = Quarter.containing(today)
    quarter_ended = Q(financial_year__lt=current.year) | Q(financial_year=current.year, quarter__lt=current.number)
    return (
        returns_visible(user=user)
        .filter(department_id=department_id_of(user))
        .filter(Q(status=QuarterlyReturn.Status.SENT_BACK) | (Q(status=QuarterlyReturn.Status.DRAFT) & quarter_ended))
        .filter(agreement__status__in=Agreement.REPORTABLE_STATUSES)
        .select_related("department", "agreement")
        .order_by("due_date", "pk")
    )


def returns_to_review(user) -> QuerySet[QuarterlyReturn] | None:
    """Submitted returns the user may review (``reporting.review_quarterlyreturn``)."""
    if role_of(user) not in (Role.ADMINISTRATOR, Role.COORDINATOR):
        return None
    return (
        returns_visible(user=user)
        .filter(status=QuarterlyReturn.Status.SUBMITTED)
        .select_related("department", "agreement")
        .order_by("submitted_at", "pk")
    )


def actions_past_their_date(user, today: dt.date) -> QuerySet[Departure] | None:
    """Open remedial actions past their target date that the user may record as resolved."""
    if role_of(user) not in (Role.ADMINISTRATOR, Role.COORDINATOR, Role.DEPARTMENT_OFFICER):
        return None
    returns = returns_visible(user=user)
    if role_of(user) == Role.DEPARTMENT_OFFICER:
        returns = returns.filter(department_id=department_id_of(user))
    return (
        Departure.objects.filter(
            resolved=False, target_date__lt=today, result__quarterly_return__in=returns.values("pk")
        )
        .select_related("result__standard", "result__quarterly_return__department")
        .order_by("target_date", "pk")
    )


def notices_taking_effect(user, today: dt.date) -> QuerySet[ServiceNotice] | None:
    """Notices not withdrawn that take effect within ``NOTICE_WINDOW_DAYS``, for those who see notices."""
    if not can(user, "agreements.view_notices"):
        return None
    return notices_open(user=user).filter(
        effective_date__gte=today, effective_date__lte=today + dt.timedelta(days=NOTICE_WINDOW_DAYS)
    )


# --- Reading them ---------------------------------------------------------------------------------------


def _date(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _count(qs) -> int:
    return 0 if qs is None else qs.count()


def _with_total(qs):
    """The first ``LIMIT`` rows, each carrying the count of all (a window function: one query)."""
    return list(qs.annotate(total_rows=Window(expression=Count("pk")))[:LIMIT])


def _total(rows) -> int:
    return rows[0].total_rows if rows else 0


def _approvals(user) -> TaskGroup:
    group = TaskGroup("approvals", "Approvals waiting for you")
    to_sign, to_decide = _with_total(agreements_to_approve(user)), _with_total(variations_to_decide(user))
    group.count = _total(to_sign) + _total(to_decide)
    group.items = [
        Task(
            f"Sign off {a.reference}: {a.title}",
            a.get_absolute_url(),
            "The final version is waiting for your approval.",
        )
        for a in to_sign
    ] + [
        Task(
            f"Decide on variation {v.number} to {v.agreement.reference}",
            v.get_absolute_url(),
            f"Proposed to take effect from {_date(v.effective_date)}.",
        )
        for v in to_decide
    ]
    group.items = group.items[:LIMIT]
    return group


def _comments(user, make) -> TaskGroup:
    """One row per version with open comments (a handful): counted one per comment."""
    group = TaskGroup("comments", "Comments to answer")
    rows = comments_to_answer(user)
    if rows is None:
        return group
    rows = list(rows)
    group.count, group.rows = sum(row["n"] for row in rows), len(rows)
    group.items = [make(row) for row in rows[:LIMIT]]
    return group


def _listed(group: TaskGroup, qs, make) -> TaskGroup:
    if qs is None:
        return group
    rows = _with_total(qs)
    group.count = _total(rows)
    group.items = [make(row) for row in rows]
    return group


def _groups(user, today: dt.date) -> list[TaskGroup]:
    def comment_task(row):
        n = row["n"]
        url = (
            reverse("agreements:version_detail", args=[row["version__agreement_id"], row["version__number"]])
            + "#comments"
        )
        deadline = row["version__comment_deadline"]
        hint = ""
        if deadline:
            hint = (
                f"Commenting closed on {_date(deadline)}."
                if deadline < today
                else f"Commenting closes on {_date(deadline)}."
            )
        return Task(
            f"Answer {n} comment{'s' if n != 1 else ''} on {row['version__agreement__reference']} "
            f"v{row['version__number']}",
            url,
            hint,
        )

    def fill_task(ret):
        overdue = ret.due_date < today
        action = "Answer the query on" if ret.status == QuarterlyReturn.Status.SENT_BACK else "Fill in and submit"
        return Task(
            f"{action} the {ret.period.label} return ({ret.agreement.reference})",
            ret.get_absolute_url(),
            f"Due {_date(ret.due_date)}.",
            "Overdue" if overdue else ("Queried back" if ret.status == QuarterlyReturn.Status.SENT_BACK else ""),
            "red" if overdue else "orange",
        )

    def review_task(ret):
        return Task(
            f"Review the {ret.department} return for {ret.period.label} ({ret.agreement.reference})",
            ret.get_absolute_url(),
            f"Submitted {_date(ret.submitted_on)}.",
        )

    def action_task(d):
        ret = d.result.quarterly_return
        return Task(
            f"{d.result.standard.title}: {d.remedial_action}",
            ret.get_absolute_url(),
            f"{ret.department}, {d.owner}, due by {_date(d.target_date)}.",
            "Overdue",
            "red",
        )

    def notice_task(n):
        days = (n.effective_date - today).days
        return Task(
            f"{n.schedule.service.name} stops on {_date(n.effective_date)}",
            reverse("services:exit_planner", args=[n.schedule_id]),
            f"Notice served on {_date(n.served_on)} under {n.schedule.agreement.reference}.",
            f"In {days} day{'s' if days != 1 else ''}" if days else "Today",
            "yellow",
        )

    return [
        _comments(user, comment_task),
        _approvals(user),
        _listed(
            TaskGroup("fill", "Returns to fill in or fix"),
            returns_to_fill(user, today),
            fill_task,
        ),
        _listed(TaskGroup("review", "Returns to review"), returns_to_review(user), review_task),
        _listed(
            TaskGroup("actions", "Remedial actions past their date"),
            actions_past_their_date(user, today),
            action_task,
        ),
        _listed(
            TaskGroup("notices", "Notices about to take effect"),
            notices_taking_effect(user, today),
            notice_task,
        ),
    ]


def your_tasks(*, user, today: dt.date) -> YourTasks:
    """Every group with its first ``LIMIT`` items, for the dashboard."""
    if role_of(user) is None:
        return YourTasks(groups=[])
    return YourTasks(groups=_groups(user, today))


@dataclass
class TaskCounts:
    """Counts for the navigation: agreements (comments, approvals, notices) and returns (fill, review, actions)."""

    by_group: dict[str, int]

    @property
    def agreements(self) -> int:
        return sum(self.by_group.get(k, 0) for k in ("comments", "approvals", "notices"))

    @property
    def returns(self) -> int:
        return sum(self.by_group.get(k, 0) for k in ("fill", "review", "actions"))

    @property
    def total(self) -> int:
        return sum(self.by_group.values())


def _count_querysets(user, today: dt.date) -> dict[str, QuerySet]:
    return {
        key: qs
        for key, qs in {
            "comments": open_comments(user),
            "approvals": agreements_to_approve(user),
            "variations": variations_to_decide(user),
            "fill": returns_to_fill(user, today),
            "review": returns_to_review(user),
            "actions": actions_past_their_date(user, today),
            "notices": notices_taking_effect(user, today),
        }.items()
        if qs is not None
    }


class _SubqueryCount(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def task_counts(*, user, today: dt.date, tasks: YourTasks | None = None) -> TaskCounts:
    """The counts alone, in one query (each group a counted subquery), or those of ``tasks``
    the dashboard has already read."""
    if tasks is not None:
        return TaskCounts(by_group={g.key: g.count for g in tasks.groups})
    if role_of(user) is None:
        return TaskCounts(by_group={})
    querysets = _count_querysets(user, today)
    counts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**{f"n_{key}": _SubqueryCount(qs.order_by().values("pk")) for key, qs in querysets.items()})
        .values(*(f"n_{key}" for key in querysets))
        .get()
    )
    by_group = dict.fromkeys(GROUP_KEYS, 0) | {key: counts[f"n_{key}"] for key in querysets}
    by_group["approvals"] += by_group.pop("variations", 0)
    return TaskCounts(by_group=by_group)
