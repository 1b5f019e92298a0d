"""Improvement plans, escalation cases, procedures, service credits and monitoring meetings (issue 13).

Plans: administrators and the ALMO's coordinators, board members and tenant scrutiny panel members
read, and the council's client officer reads every ALMO of the council (issue 14); others 404
(department officers 403 on lists). Coordinators and administrators change; board members, the panel
and the council officer never (403). The "east" variants are a plan of the other ALMO (Kirkby East
Homes, the same council): the panel member of Kirkby Neighbourhood Homes does not find it.
Cases: both parties act: the coordinator of the ALMO and the officers of the department the
case is about (the demo case is about Property Services, so the repairs officer).
Procedure and credits are agreement terms: changed only while the agreement is a draft.
The panel and the council officer take no part in cases, procedures, credits and meetings.
"""

from django.core.files.base import ContentFile

from tests.role_matrix import ALL_OK, COUNCIL, PANEL, ROLES

POST_ONLY = dict.fromkeys(ROLES[1:], 405) | {"anonymous": "login"}
READ_PLAN = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 404,
    "board.member": 200,
    "environment.officer": 404,
    "repairs.officer": 404,
    PANEL: 200,
    COUNCIL: 200,
}
EDIT_PLAN = READ_PLAN | {"board.member": 403, PANEL: 403, COUNCIL: 403}
READ_EAST_PLAN = READ_PLAN | {"coordinator": 404, "east.coordinator": 200, "board.member": 404, PANEL: 404}
EDIT_EAST_PLAN = READ_EAST_PLAN | {COUNCIL: 403}
LIST_PLANS = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 200,
    "board.member": 200,
    "environment.officer": 403,
    "repairs.officer": 403,
    PANEL: 200,
    COUNCIL: 200,
}
ADD_PLAN = LIST_PLANS | {"board.member": 403, PANEL: 403, COUNCIL: 403}

# Cases, procedures, credits and meetings: not for the panel or the council officer.
NOT_THEIRS = {PANEL: 404, COUNCIL: 404}
NOT_FOR_THEM = {PANEL: 403, COUNCIL: 403}
CASE_VIEW = READ_PLAN | {"repairs.officer": 200} | NOT_THEIRS
CASE_ACT = CASE_VIEW | {"board.member": 403}
CASE_OPEN = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 403,
    "board.member": 403,
    "environment.officer": 200,
    "repairs.officer": 200,
} | NOT_FOR_THEM

# The KNH agreement is active; the KEH agreement is the other ALMO's draft.
TERMS_MAIN = READ_PLAN | NOT_THEIRS
TERMS_EAST = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 404,
    "east.coordinator": 200,
    "board.member": 404,
    "environment.officer": 404,
    "repairs.officer": 404,
} | NOT_THEIRS
CHANGE_TERMS_MAIN = READ_PLAN | {"admin": 403, "coordinator": 403, "board.member": 403} | NOT_THEIRS
CHANGE_TERMS_EAST = TERMS_EAST

MEETINGS = LIST_PLANS | NOT_FOR_THEM
ADD_MEETING = {
    "anonymous": "login",
    "admin": 200,
    "coordinator": 200,
    "east.coordinator": 403,
    "board.member": 403,
    "environment.officer": 403,
    "repairs.officer": 403,
} | NOT_FOR_THEM
READ_MEETING = READ_PLAN | NOT_THEIRS
EDIT_MEETING = EDIT_PLAN | NOT_THEIRS

EXPECTED = {
    "reporting:plan_list": {"": LIST_PLANS},
    "reporting:plan_add": {"": ADD_PLAN},
    "reporting:plan_detail": {"knh": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:plan_edit": {"knh": EDIT_PLAN, "east": EDIT_EAST_PLAN},
    "reporting:plan_approve": {"knh": POST_ONLY},
    "reporting:plan_close": {"knh": POST_ONLY},
    "reporting:plan_risks": {"knh": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:theme_add": {"knh": EDIT_PLAN},
    "reporting:steering_group_add": {"knh": EDIT_PLAN},
    "reporting:quick_win_add": {"knh": EDIT_PLAN},
    "reporting:plan_report_request": {"knh": POST_ONLY},
    "reporting:plan_report_detail": {"ready": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:plan_report_download": {"ready": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:theme_detail": {"kt4": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:theme_edit": {"kt4": EDIT_PLAN, "east": EDIT_EAST_PLAN},
    "reporting:improvement_add": {"kt4": EDIT_PLAN},
    "reporting:indicator_add": {"kt4": EDIT_PLAN},
    "reporting:risk_add": {"kt4": EDIT_PLAN},
    "reporting:indicator_edit": {"bvpi72": EDIT_PLAN},
    "reporting:risk_edit": {"risk": EDIT_PLAN},
    # without ?departure=, ?case= or ?schedule= there is nothing to start from
    "reporting:improvement_start": {"": ADD_PLAN | {"admin": 404, "coordinator": 404, "east.coordinator": 404}},
    "reporting:improvement_detail": {"kt4-2": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:improvement_edit": {"kt4-2": EDIT_PLAN, "east": EDIT_EAST_PLAN},
    "reporting:improvement_target_date": {"kt4-2": EDIT_PLAN},
    "reporting:improvement_progress": {"kt4-2": EDIT_PLAN},
    "reporting:improvement_task_add": {"kt4-2": EDIT_PLAN},
    "reporting:improvement_task_edit": {"kt4-2": EDIT_PLAN},
    "reporting:improvement_resource_add": {"kt4-2": EDIT_PLAN},
    "reporting:improvement_resource_edit": {"kt4-2": EDIT_PLAN},
    "reporting:steering_group_detail": {"group": READ_PLAN, "east": READ_EAST_PLAN},
    "reporting:steering_group_edit": {"group": EDIT_PLAN},
    "reporting:steering_group_member_add": {"group": EDIT_PLAN},
    "reporting:steering_group_member_remove": {"group": POST_ONLY},
    "reporting:quick_win_edit": {"win": EDIT_PLAN},
    # Escalation
    "reporting:case_list": {"": ALL_OK},
    "reporting:case_open": {"": CASE_OPEN},
    "reporting:case_detail": {"repairs": CASE_VIEW},
    "reporting:case_decide": {"repairs": CASE_ACT},
    "reporting:case_close": {"repairs": CASE_ACT},
    "reporting:procedure": {"main": TERMS_MAIN, "east": TERMS_EAST},
    "reporting:procedure_step_add": {"main": CHANGE_TERMS_MAIN, "east": CHANGE_TERMS_EAST},
    "reporting:procedure_step_edit": {"main": CHANGE_TERMS_MAIN, "east": CHANGE_TERMS_EAST},
    "reporting:procedure_step_remove": {"east": POST_ONLY},
    "reporting:credits": {"main": TERMS_MAIN, "east": TERMS_EAST},
    "reporting:credits_edit": {"main": CHANGE_TERMS_MAIN, "east": CHANGE_TERMS_EAST},
    # Monitoring meetings
    "reporting:meeting_list": {"": MEETINGS},
    "reporting:meeting_add": {"": ADD_MEETING},
    "reporting:meeting_detail": {"knh": READ_MEETING},
    "reporting:meeting_edit": {"knh": EDIT_MEETING},
    "reporting:meeting_item_add": {"knh": EDIT_MEETING},
    "reporting:meeting_item_edit": {"knh": EDIT_MEETING},
    "reporting:meeting_attendee_add": {"knh": EDIT_MEETING},
    "reporting:meeting_action_add": {"knh": EDIT_MEETING},
    "reporting:meeting_action_edit": {"knh": EDIT_MEETING},
}


def _report(plan):
    from django.contrib.auth import get_user_model

    from reporting.improvement.models import PlanReport

    report = PlanReport.objects.create(
        plan=plan,
        status=PlanReport.Status.READY,
        requested_by=get_user_model().objects.get(username="coordinator"),
        pages=1,
        size=9,
    )
    report.file.save(report.filename, ContentFile(b"%PDF-1.7\n"), save=True)
    return report


def _east_plan(demo):
    """A plan of the other ALMO (same council) with a theme, an improvement, a steering group and a report."""
    from django.contrib.auth import get_user_model

    from reporting.improvement.models import Improvement, ImprovementPlan, KeyTheme, SteeringGroup

    east = demo["east"].almo
    plan, _ = ImprovementPlan.objects.get_or_create(almo=east, title="Kirkby East improvement plan")
    theme, _ = KeyTheme.objects.get_or_create(plan=plan, number=1, defaults={"priority": 2, "title": "Estates"})
    improvement = theme.improvements.first() or Improvement.objects.create(
        theme=theme,
        reference="KT1/1",
        title="Estate walkabouts",
        issue="Issue",
        outcome="Outcome",
        lead_officer="Lead",
        original_target_date="2027-03-31",
        target_date="2027-03-31",
        created_by=get_user_model().objects.get(username="east.coordinator"),
    )
    group, _ = SteeringGroup.objects.get_or_create(plan=plan, name="Estates steering group")
    return plan, theme, improvement, group


EAST_ARGS = {
    "reporting:plan_detail": lambda plan, theme, improvement, group: [plan.pk],
    "reporting:plan_edit": lambda plan, theme, improvement, group: [plan.pk],
    "reporting:plan_risks": lambda plan, theme, improvement, group: [plan.pk],
    "reporting:plan_report_detail": lambda plan, theme, improvement, group: [_report(plan).pk],
    "reporting:plan_report_download": lambda plan, theme, improvement, group: [_report(plan).pk],
    "reporting:theme_detail": lambda plan, theme, improvement, group: [theme.pk],
    "reporting:theme_edit": lambda plan, theme, improvement, group: [theme.pk],
    "reporting:improvement_detail": lambda plan, theme, improvement, group: [improvement.pk],
    "reporting:improvement_edit": lambda plan, theme, improvement, group: [improvement.pk],
    "reporting:steering_group_detail": lambda plan, theme, improvement, group: [group.pk],
}


NO_ARGS = {
    "reporting:plan_list",
    "reporting:plan_add",
    "reporting:improvement_start",
    "reporting:case_list",
    "reporting:case_open",
    "reporting:meeting_list",
    "reporting:meeting_add",
}


def url_args(name, demo):
    if name in NO_ARGS:
        return {}
    variants = _knh_args(name, demo)
    if name in EAST_ARGS:
        variants = {**variants, "east": EAST_ARGS[name](*_east_plan(demo))}
    return variants


def _knh_args(name, demo):
    from reporting.cases.models import EscalationCase, MonitoringMeeting
    from reporting.improvement.models import Improvement, ImprovementPlan, PerformanceIndicator, Risk

    plan = ImprovementPlan.objects.get(almo=demo["main"].almo)
    kt4 = plan.themes.get(number=4)
    improvement = Improvement.objects.get(theme=kt4, reference="KT4/2")
    group = plan.steering_groups.order_by("pk").first()
    case = EscalationCase.objects.filter(agreement=demo["main"], status="open").order_by("pk").first()
    meeting = MonitoringMeeting.objects.filter(agreement=demo["main"]).order_by("pk").first()
    main, east = demo["main"].pk, demo["east"].pk
    table = {
        "reporting:plan_report_detail": {"ready": lambda: [_report(plan).pk]},
        "reporting:plan_report_download": {"ready": lambda: [_report(plan).pk]},
        "reporting:indicator_edit": {
            "bvpi72": lambda: [PerformanceIndicator.objects.get(theme=kt4, code="BVPI 72").pk]
        },
        "reporting:risk_edit": {"risk": lambda: [Risk.objects.filter(theme=kt4).first().pk]},
        "reporting:improvement_task_edit": {"kt4-2": lambda: [improvement.pk, improvement.tasks.first().pk]},
        "reporting:improvement_resource_edit": {"kt4-2": lambda: [improvement.pk, improvement.resources.first().pk]},
        "reporting:steering_group_member_remove": {"group": lambda: [group.pk, group.members.first().pk]},
        "reporting:quick_win_edit": {"win": lambda: [plan.quick_wins.first().pk]},
        "reporting:meeting_item_edit": {"knh": lambda: [meeting.pk, meeting.agenda.first().pk]},
        "reporting:meeting_action_edit": {"knh": lambda: [meeting.pk, meeting.actions.first().pk]},
        "reporting:procedure_step_edit": {"main": lambda: [main, 1], "east": lambda: [east, 1]},
        "reporting:procedure_step_remove": {"east": lambda: [east, 5]},
    }
    if name in table:
        return {variant: make() for variant, make in table[name].items()}
    if name in ("reporting:improvement_add",):
        return {"kt4": [kt4.pk]}
    by_prefix = {
        "reporting:plan_": {"knh": [plan.pk]},
        "reporting:theme_": {"kt4": [kt4.pk]},
        "reporting:theme_add": {"knh": [plan.pk]},
        "reporting:steering_group_add": {"knh": [plan.pk]},
        "reporting:quick_win_add": {"knh": [plan.pk]},
        "reporting:indicator_add": {"kt4": [kt4.pk]},
        "reporting:risk_add": {"kt4": [kt4.pk]},
        "reporting:improvement_": {"kt4-2": [improvement.pk]},
        "reporting:steering_group_": {"group": [group.pk]},
        "reporting:case_": {"repairs": [case.pk]},
        "reporting:meeting_": {"knh": [meeting.pk]},
        "reporting:procedure": {"main": [main], "east": [east]},
        "reporting:credits": {"main": [main], "east": [east]},
    }
    for prefix in sorted(by_prefix, key=len, reverse=True):
        if name.startswith(prefix):
            return by_prefix[prefix]
    return {}
