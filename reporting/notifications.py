"""Who is told of each event of a quarterly return, a remedial action or a board pack, through
``services.notifications.notify``. Called at the end of the writes in ``reporting/services.py``
and ``reporting/packs/services.py`` (inside their transactions) and by daily tasks.

| Event | Told |
|---|---|
| return opened | the department's officers |
| submitted (and resubmitted) | the agreement's coordinator and the ALMO's coordinators |
| queried back, accepted | the department's officers |
| due in five working days (daily job) | the department's officers |
| overdue (daily job) | the department's officers and the agreement's coordinator |
| reminder sent now (overdue) | the department's officers |
| remedial action past its target date | the department's officers and the agreement's coordinator |
| board pack ready or failed | whoever requested it |
"""

from __future__ import annotations

import datetime as dt

from reporting.models import BoardPack, Departure, QuarterlyReturn
from services.notifications import Event, almo_coordinators, department_officers, notify, users


def _date(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def _return_context(ret: QuarterlyReturn) -> dict:
    return {
        "ret": ret,
        "department": ret.department,
        "period": ret.period.label,
        "ref": ret.agreement.reference,
        "due": _date(ret.due_date),
        "comment": ret.review_comment,
    }


def _officers(ret: QuarterlyReturn):
    return department_officers([ret.department_id])


def return_opened(*, quarterly_return: QuarterlyReturn) -> int:
    return len(
        notify(
            event=Event.RETURN_OPENED,
            recipients=_officers(quarterly_return),
            obj=quarterly_return,
            url=quarterly_return.get_absolute_url(),
            context=_return_context(quarterly_return),
        )
    )


def return_submitted(*, quarterly_return: QuarterlyReturn, user) -> int:
    ret = quarterly_return
    agreement = ret.agreement
    return len(
        notify(
            event=Event.RETURN_SUBMITTED,
            recipients=users(agreement.coordinator_id, almo_coordinators(agreement.almo_id)),
            obj=ret,
            url=ret.get_absolute_url(),
            key=f"{Event.RETURN_SUBMITTED}:return:{ret.pk}:r{ret.revision}",
            context=_return_context(ret)
            | {"submitted_by": user, "resubmitted": ret.revision > 1, "late": ret.is_late(ret.submitted_on)},
            actor=user,
        )
    )


def return_sent_back(*, quarterly_return: QuarterlyReturn, user) -> int:
    ret = quarterly_return
    return len(
        notify(
            event=Event.RETURN_SENT_BACK,
            recipients=users(_officers(ret), ret.submitted_by_id),
            obj=ret,
            url=ret.get_absolute_url(),
            key=f"{Event.RETURN_SENT_BACK}:return:{ret.pk}:r{ret.revision}",
            context=_return_context(ret) | {"reviewer": user},
            actor=user,
        )
    )


def return_accepted(*, quarterly_return: QuarterlyReturn, user) -> int:
    ret = quarterly_return
    return len(
        notify(
            event=Event.RETURN_ACCEPTED,
            recipients=users(_officers(ret), ret.submitted_by_id),
            obj=ret,
            url=ret.get_absolute_url(),
            context=_return_context(ret) | {"reviewer": user},
            actor=user,
        )
    )


def return_due_reminder(*, quarterly_return: QuarterlyReturn, overdue: bool) -> list:
    """The daily job's reminders, once per return: due soon (the officers), overdue (and the coordinator).
    Returns the people told."""
    ret = quarterly_return
    event = Event.RETURN_OVERDUE if overdue else Event.RETURN_DUE_SOON
    recipients = users(_officers(ret), ret.agreement.coordinator_id if overdue else None)
    told = notify(event=event, recipients=recipients, obj=ret, url=ret.get_absolute_url(), context=_return_context(ret))
    return [row.recipient for row in told]


def return_reminder(*, quarterly_return: QuarterlyReturn, user, day: dt.date) -> int:
    """A coordinator's "send a reminder now" about an overdue return: at most once a day."""
    ret = quarterly_return
    return len(
        notify(
            event=Event.RETURN_REMINDER,
            recipients=_officers(ret),
            obj=ret,
            url=ret.get_absolute_url(),
            key=f"{Event.RETURN_REMINDER}:return:{ret.pk}:{day.isoformat()}",
            context=_return_context(ret) | {"sender": user, "days_overdue": (day - ret.due_date).days},
            actor=user,
        )
    )


def remedial_action_overdue(*, departure: Departure, today: dt.date) -> int:
    ret = departure.result.quarterly_return
    return len(
        notify(
            event=Event.REMEDIAL_ACTION_OVERDUE,
            recipients=users(_officers(ret), ret.agreement.coordinator_id),
            obj=departure,
            url=ret.get_absolute_url(),
            # told once per target date: a new date that passes in turn is told again
            key=f"{Event.REMEDIAL_ACTION_OVERDUE}:departure:{departure.pk}:{departure.target_date.isoformat()}",
            context=_return_context(ret)
            | {
                "departure": departure,
                "standard": departure.result.standard,
                "target": _date(departure.target_date),
                "days_overdue": (today - departure.target_date).days,
            },
        )
    )


def board_pack_finished(*, pack: BoardPack) -> int:
    """The requester is told the pack is ready, or failed (each failed attempt once)."""
    if pack.status == BoardPack.Status.READY:
        event, key = Event.BOARD_PACK_READY, f"{Event.BOARD_PACK_READY}:boardpack:{pack.pk}"
    elif pack.status == BoardPack.Status.FAILED:
        event, key = Event.BOARD_PACK_FAILED, f"{Event.BOARD_PACK_FAILED}:boardpack:{pack.pk}:a{pack.attempts}"
    else:
        return 0
    return len(
        notify(
            event=event,
            recipients=[pack.requested_by_id],
            obj=pack,
            url=pack.get_absolute_url(),
            key=key,
            context={"pack": pack, "title": pack.title, "reason": pack.failure_reason, "pages": pack.pages},
        )
    )
