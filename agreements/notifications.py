"""Who is told of each event in an agreement's life, through ``services.notifications.notify``.

Each function is called at the end of the write it reports (``agreements/services.py``,
``agreements/notice_writes.py``, the daily tasks) inside its transaction; the e-mails go
after commit, each recorded and sent once. The person who acted is never told of their
own action.

| Event | Told |
|---|---|
| circulated | officers of the version's departments, both signatories |
| comment deadline in two working days | those of the above who have not commented |
| comment deadline passed | the above and the coordinator |
| comment received | the agreement's coordinator |
| comment answered | the comment's author |
| sent for sign-off | both signatories |
| approved (one signatory) | the coordinator and the other signatory |
| declined | the coordinator and the other signatory |
| agreed, active | the coordinator, both signatories, officers of the agreement's departments |
| variation proposed, withdrawn | both signatories |
| variation approved, rejected | the coordinator, who proposed it, both signatories |
| variation in force | the coordinator, both signatories, officers of the departments whose services changed |
| notice served, withdrawn | the ALMO's coordinators, both signatories, the service's department officers |
"""

from __future__ import annotations

import datetime as dt

from agreements.models import Agreement, AgreementVersion, Approval, Comment, ServiceNotice, Variation
from services.notifications import Event, almo_coordinators, department_officers, notify, users
from services.periods import add_working_days


def _date(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _signatories(agreement: Agreement) -> list[int | None]:
    return [agreement.council_signatory_id, agreement.almo_signatory_id]


def _agreement_departments(agreement: Agreement) -> set[int]:
    return set(agreement.schedules.values_list("service__department_id", flat=True))


def _agreement_context(agreement: Agreement) -> dict:
    return {"agreement": agreement, "ref": agreement.reference, "title": agreement.title}


# --- Circulation and comments ------------------------------------------------------------------


def reminder_date(version: AgreementVersion) -> dt.date:
    return add_working_days(version.comment_deadline, -2)


def commenters(version: AgreementVersion):
    """Officers of the version's departments and both signatories: who is asked to comment."""
    departments = {s["department_id"] for s in version.snapshot["schedules"]}
    return users(department_officers(departments), _signatories(version.agreement))


def _version_context(version: AgreementVersion) -> dict:
    return _agreement_context(version.agreement) | {
        "version": version,
        "label": version.label,
        "deadline": _date(version.comment_deadline),
    }


def circulated(*, version: AgreementVersion) -> int:
    return len(
        notify(
            event=Event.CIRCULATED,
            recipients=commenters(version),
            obj=version,
            url=version.get_absolute_url(),
            context=_version_context(version),
            actor=version.created_by,
        )
    )


def comment_deadline_reminder(*, version: AgreementVersion) -> int:
    """Two working days before the deadline, to those asked to comment who have not."""
    have_commented = set(version.comments.values_list("author_id", flat=True))
    recipients = [pk for pk in commenters(version) if pk not in have_commented]
    return len(
        notify(
            event=Event.COMMENT_DEADLINE_REMINDER,
            recipients=recipients,
            obj=version,
            url=version.get_absolute_url(),
            context=_version_context(version),
        )
    )


def comment_deadline_passed(*, version: AgreementVersion) -> int:
    recipients = users(commenters(version), version.agreement.coordinator_id)
    return len(
        notify(
            event=Event.COMMENT_DEADLINE_PASSED,
            recipients=recipients,
            obj=version,
            url=version.get_absolute_url(),
            context=_version_context(version),
        )
    )


def comment_received(*, comment: Comment) -> int:
    version = comment.version
    return len(
        notify(
            event=Event.COMMENT_RECEIVED,
            recipients=[version.agreement.coordinator_id],
            obj=comment,
            url=version.get_absolute_url() + "#comments",
            context=_version_context(version) | {"comment": comment, "author": comment.author},
            actor=comment.author,
        )
    )


def comment_answered(*, comment: Comment) -> int:
    version = comment.version
    return len(
        notify(
            event=Event.COMMENT_ANSWERED,
            recipients=[comment.author_id],
            obj=comment,
            url=version.get_absolute_url() + "#comments",
            # a comment answered again (its status changed) is a new occurrence
            key=f"{Event.COMMENT_ANSWERED}:comment:{comment.pk}:{comment.status}:{comment.responded_at:%Y%m%d%H%M%S%f}",
            context=_version_context(version) | {"comment": comment, "responder": comment.responded_by},
            actor=comment.responded_by,
        )
    )


# --- Sign-off ----------------------------------------------------------------------------------------


def signoff_requested(*, version: AgreementVersion) -> int:
    agreement = version.agreement
    return len(
        notify(
            event=Event.SIGNOFF_REQUESTED,
            recipients=_signatories(agreement),
            obj=version,
            url=agreement.get_absolute_url(),
            context=_version_context(version),
            actor=version.created_by,
        )
    )


def _everyone_bound(agreement: Agreement) -> list[int]:
    officers = department_officers(_agreement_departments(agreement))
    return users(agreement.coordinator_id, _signatories(agreement), officers)


def approval_given(*, approval: Approval) -> int:
    """A signatory approved the final version: the coordinator and the other signatory are told;
    once both have, everyone bound by it is told it is agreed."""
    agreement = approval.agreement
    version = approval.version
    if agreement.status in Agreement.LIVE_STATUSES:
        return len(
            notify(
                event=Event.AGREED,
                recipients=_everyone_bound(agreement),
                obj=agreement,
                url=agreement.get_absolute_url(),
                key=f"{Event.AGREED}:agreement:{agreement.pk}:v{version.number}",
                context=_version_context(version)
                | {"start": _date(agreement.start_date), "is_active": agreement.status == Agreement.Status.ACTIVE},
                actor=approval.user,
            )
        )
    return len(
        notify(
            event=Event.APPROVED,
            recipients=users(agreement.coordinator_id, _signatories(agreement)),
            obj=approval,
            url=agreement.get_absolute_url(),
            context=_version_context(version)
            | {"approval": approval, "signatory": approval.user, "party": approval.get_party_display()},
            actor=approval.user,
        )
    )


def declined(*, approval: Approval) -> int:
    """A signatory declined the final version (the agreement goes back to draft). For the sign-off branch to call."""
    agreement = approval.agreement
    return len(
        notify(
            event=Event.DECLINED,
            recipients=users(agreement.coordinator_id, _signatories(agreement)),
            obj=approval,
            url=agreement.get_absolute_url(),
            context=_version_context(approval.version)
            | {
                "approval": approval,
                "signatory": approval.user,
                "party": approval.get_party_display(),
                "reason": approval.reason,
            },
            actor=approval.user,
        )
    )


def activated(*, agreement: Agreement) -> int:
    return len(
        notify(
            event=Event.ACTIVE,
            recipients=_everyone_bound(agreement),
            obj=agreement,
            url=agreement.get_absolute_url(),
            context=_agreement_context(agreement) | {"start": _date(agreement.start_date)},
        )
    )


# --- Variations ----------------------------------------------------------------------------------------


def _variation_context(variation: Variation) -> dict:
    changes = list(variation.changes.select_related("schedule__service"))
    return _agreement_context(variation.agreement) | {
        "variation": variation,
        "changes": changes,
        "effective": _date(variation.effective_date),
    }


def variation_proposed(*, variation: Variation) -> int:
    return len(
        notify(
            event=Event.VARIATION_PROPOSED,
            recipients=_signatories(variation.agreement),
            obj=variation,
            url=variation.get_absolute_url(),
            context=_variation_context(variation),
            actor=variation.proposed_by,
        )
    )


def variation_decided(*, variation: Variation, approval: Approval) -> int:
    """After a signatory's decision: rejected, or approved by both (coming into force: ``variation_applied``)."""
    agreement = variation.agreement
    recipients = users(agreement.coordinator_id, variation.proposed_by_id, _signatories(agreement))
    if variation.status == Variation.Status.REJECTED:
        event = Event.VARIATION_REJECTED
    elif variation.status == Variation.Status.APPROVED:
        event = Event.VARIATION_APPROVED
    else:
        return 0  # waiting for the other signatory (their task list shows it), or already in force
    return len(
        notify(
            event=event,
            recipients=recipients,
            obj=variation,
            url=variation.get_absolute_url(),
            context=_variation_context(variation)
            | {"approval": approval, "signatory": approval.user, "reason": approval.reason},
            actor=approval.user,
        )
    )


def variation_applied(*, variation: Variation) -> int:
    """The parties are sent to the variation; the departments whose services changed, who do not
    see whole-agreement pages, to the agreement (their services' new terms)."""
    agreement = variation.agreement
    context = _variation_context(variation)
    parties = users(agreement.coordinator_id, _signatories(agreement))
    departments = set(variation.changes.values_list("schedule__service__department_id", flat=True))
    officers = [pk for pk in users(department_officers(departments)) if pk not in parties]
    told = notify(
        event=Event.VARIATION_APPLIED,
        recipients=parties,
        obj=variation,
        url=variation.get_absolute_url(),
        context=context,
    )
    told += notify(
        event=Event.VARIATION_APPLIED,
        recipients=officers,
        obj=variation,
        url=agreement.get_absolute_url(),
        context=context,
    )
    return len(told)


def variation_withdrawn(*, variation: Variation, user, reason: str = "") -> int:
    """A proposal withdrawn before it was decided. For the sign-off branch to call."""
    return len(
        notify(
            event=Event.VARIATION_WITHDRAWN,
            recipients=users(_signatories(variation.agreement), variation.proposed_by_id),
            obj=variation,
            url=variation.get_absolute_url(),
            context=_variation_context(variation) | {"withdrawn_by": user, "reason": reason},
            actor=user,
        )
    )


# --- Notices -------------------------------------------------------------------------------------------------


def _notice(event: str, notice: ServiceNotice, actor) -> int:
    schedule = notice.schedule
    agreement = schedule.agreement
    recipients = users(
        agreement.coordinator_id,
        almo_coordinators(agreement.almo_id),
        _signatories(agreement),
        department_officers([schedule.service.department_id]),
    )
    return len(
        notify(
            event=event,
            recipients=recipients,
            obj=notice,
            url=agreement.get_absolute_url(),
            context=_agreement_context(agreement)
            | {
                "notice": notice,
                "service": schedule.service,
                "served_on": _date(notice.served_on),
                "effective": _date(notice.effective_date),
                "withdrawn_on": _date(notice.withdrawn_on),
            },
            actor=actor,
        )
    )


def notice_served(*, notice: ServiceNotice) -> int:
    return _notice(Event.NOTICE_SERVED, notice, notice.served_by)


def notice_withdrawn(*, notice: ServiceNotice, user) -> int:
    return _notice(Event.NOTICE_WITHDRAWN, notice, user)
