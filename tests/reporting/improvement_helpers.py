"""Objects for the improvement-plan and escalation tests."""

import datetime as dt

from reporting.improvement.models import Improvement, ImprovementPlan, KeyTheme


def knh_plan(demo) -> ImprovementPlan:
    return ImprovementPlan.objects.get(almo=demo["main"].almo)


def draft_plan(demo, user, **fields) -> ImprovementPlan:
    return ImprovementPlan.objects.create(almo=demo["main"].almo, title=fields.pop("title", "Draft plan"), **fields)


def theme(plan, number=1, priority=1, title="Infrastructure") -> KeyTheme:
    return KeyTheme.objects.create(plan=plan, number=number, priority=priority, title=title)


def improvement(theme, user, *, target=dt.date(2030, 6, 30), **fields) -> Improvement:
    from reporting.improvement.services import improvement_save

    return improvement_save(
        improvement=Improvement(
            theme=theme,
            reference=fields.pop("reference", "KT1"),
            title=fields.pop("title", "Do it"),
            issue="Issue",
            outcome="Outcome",
            lead_officer="Lead",
            target_date=target,
            **fields,
        ),
        user=user,
    )
