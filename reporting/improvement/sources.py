"""Where an improvement comes from: a departure from standard, an escalation case or a
value-for-money finding. The new-improvement page takes ``?departure=``, ``?case=`` or
``?schedule=``; each is loaded only if the user may see it, and the improvement links back."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from agreements.models import Schedule
from almo_sla.access import can
from reporting.cases.selectors import case_list
from reporting.improvement.models import Improvement
from reporting.selectors import departure_list


@dataclass
class Source:
    kind: str  # departure, case, schedule
    obj: object
    label: str
    url: str
    query: str

    @property
    def almo_id(self) -> int:
        if self.kind == "departure":
            return self.obj.result.quarterly_return.agreement.almo_id
        return self.obj.agreement.almo_id

    def apply(self, improvement: Improvement) -> None:
        setattr(improvement, f"source_{self.kind}", self.obj)

    def initial(self) -> dict:
        if self.kind == "departure":
            d = self.obj
            return {
                "title": f"Remedy: {d.result.standard.title}"[:250],
                "issue": f"{d.what_happened}\n\nReason: {d.reason}",
                "outcome": d.remedial_action,
                "lead_officer": d.owner,
            }
        if self.kind == "case":
            c = self.obj
            return {
                "title": f"Remedy for case {c.pk}: {c.subject}"[:250],
                "issue": c.reason,
                "standards": [c.standard] if c.standard_id else [],
            }
        s = self.obj
        return {
            "title": f"Value for money of {s.service.name}"[:250],
            "issue": f"The cost of {s.service.name} is being questioned against the benchmarks.",
        }


def improvement_source(*, user, query) -> Source | None:
    """The source named in the query string, if the user may see it (404 if not)."""
    for kind in ("departure", "case", "schedule"):
        raw = query.get(kind)
        if not raw:
            continue
        if not str(raw).isdigit():
            raise Http404("No such source.")
        pk = int(raw)
        if kind == "departure":
            obj = departure_list(user=user).select_related("result__quarterly_return__agreement").filter(pk=pk).first()
            if obj is None:
                raise Http404("No such departure.")
            return Source(
                kind,
                obj,
                f"departure from “{obj.result.standard.title}” ({obj.result.quarterly_return.period.label})",
                obj.result.quarterly_return.get_absolute_url(),
                f"departure={pk}",
            )
        if kind == "case":
            obj = case_list(user=user).filter(pk=pk).first()
            if obj is None:
                raise Http404("No such case.")
            return Source(kind, obj, f"escalation case {obj.pk}: {obj.subject}", obj.get_absolute_url(), f"case={pk}")
        obj = Schedule.objects.select_related("service", "agreement").filter(pk=pk).first()
        if obj is None or not can(user, "reporting.view_schedule_value", obj):
            raise Http404("No such service.")
        return Source(
            kind,
            obj,
            f"value-for-money finding on {obj.service.name}",
            reverse("services:schedule_value", args=[obj.pk]),
            f"schedule={pk}",
        )
    return None
