"""Issue 14: the tenant scrutiny panel reads its ALMO's improvement plans, the council's client officer
reads every ALMO's of the council; neither sees an edit control nor gets a write through."""

import pytest
from django.urls import reverse

from reporting.improvement.models import Improvement, ImprovementPlan, KeyTheme, PlanReport
from services.models import Almo, Council

pytestmark = pytest.mark.django_db

EDIT_CONTROLS = (
    "Change the plan",
    "Produce a progress report",
    "Approve the plan",
    "Close the plan",
    "Add a quick win",
    "Add a steering group",
    "Add a key theme",
    "Record progress",
    "Change the target date",
    "Change the improvement",
    "Add a task",
    "Add a resource",
    "Add a member",
    "Change the group",
    "/edit/",
    "/add/",
    "Create an improvement plan",
)


def knh_plan(demo):
    return ImprovementPlan.objects.get(almo=demo["main"].almo)


def east_plan(demo):
    return ImprovementPlan.objects.create(almo=demo["east"].almo, title="Kirkby East improvement plan")


def other_council_plan():
    council = Council.objects.create(name="Elsewhere Borough Council", slug="elsewhere")
    almo = Almo.objects.create(council=council, name="Elsewhere Homes", slug="elsewhere-homes")
    return ImprovementPlan.objects.create(almo=almo, title="Elsewhere improvement plan")


def pages(plan):
    theme = plan.themes.get(number=4)
    improvement = Improvement.objects.get(theme=theme, reference="KT4/2")
    group = plan.steering_groups.order_by("pk").first()
    return [
        plan.get_absolute_url(),
        reverse("reporting:plan_risks", args=[plan.pk]),
        theme.get_absolute_url(),
        improvement.get_absolute_url(),
        group.get_absolute_url(),
    ]


def test_the_panel_member_reads_their_almos_plan_and_not_another_almos(client_as, demo_data):
    mine, theirs = knh_plan(demo_data), east_plan(demo_data)
    client = client_as("panel.member")
    listing = client.get(reverse("reporting:plan_list")).content.decode()
    assert mine.title in listing and theirs.title not in listing
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Key Theme 4: Improving the repair service" in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    theme = KeyTheme.objects.create(plan=theirs, number=1, priority=2, title="Estates")
    assert client.get(theme.get_absolute_url()).status_code == 404


def test_the_panel_member_sees_no_edit_controls(client_as, demo_data):
    client = client_as("panel.member")
    for url in [reverse("reporting:plan_list"), *pages(knh_plan(demo_data))]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        shown = [control for control in EDIT_CONTROLS if control in html]
        assert not shown, f"{url} offers {shown}"
    # the same pages offer them to the coordinator, so the list above can catch them
    coordinator = client_as("coordinator").get(knh_plan(demo_data).get_absolute_url()).content.decode()
    assert "Change the plan" in coordinator and "Add a quick win" in coordinator


def test_the_panel_and_the_council_officer_read_the_progress_reports_already_produced(
    client_as, demo_data, demo_user, settings, tmp_path
):
    from django.core.files.base import ContentFile

    plan = knh_plan(demo_data)
    report = PlanReport.objects.create(
        plan=plan, status=PlanReport.Status.READY, requested_by=demo_user("coordinator"), pages=1, size=9
    )
    report.file.save(report.filename, ContentFile(b"%PDF-1.7\n"), save=True)
    for role in ("panel.member", "council.officer"):
        client = client_as(role)
        response = client.get(reverse("reporting:plan_report_download", args=[report.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.7\n"
        # ... but do not ask for one
        assert client.post(reverse("reporting:plan_report_request", args=[plan.pk])).status_code == 403
    assert PlanReport.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize("role", ["panel.member", "council.officer"])
def test_every_write_is_refused_to_the_panel_and_the_council_officer(client_as, demo_data, role):
    plan = knh_plan(demo_data)
    theme = plan.themes.get(number=4)
    improvement = Improvement.objects.get(theme=theme, reference="KT4/2")
    group = plan.steering_groups.order_by("pk").first()
    member = group.members.first()
    before = (plan.title, improvement.status, improvement.progress.count(), group.members.count(), theme.title)
    client = client_as(role)
    posts = [
        (reverse("reporting:plan_add"), {"title": "Theirs"}),
        (reverse("reporting:plan_edit", args=[plan.pk]), {"title": "Renamed", "risk_threshold": 12}),
        (reverse("reporting:plan_approve", args=[plan.pk]), {}),
        (reverse("reporting:plan_close", args=[plan.pk]), {}),
        (reverse("reporting:theme_add", args=[plan.pk]), {"number": 9, "title": "T", "priority": 2}),
        (reverse("reporting:theme_edit", args=[theme.pk]), {"number": 4, "title": "Renamed", "priority": 1}),
        (reverse("reporting:quick_win_add", args=[plan.pk]), {"title": "Win"}),
        (reverse("reporting:steering_group_add", args=[plan.pk]), {"name": "G"}),
        (reverse("reporting:steering_group_member_add", args=[group.pk]), {"name": "N", "kind": "tenant"}),
        (reverse("reporting:steering_group_member_remove", args=[group.pk, member.pk]), {}),
        (reverse("reporting:improvement_progress", args=[improvement.pk]), {"body": "x", "status": "done"}),
        (reverse("reporting:improvement_task_add", args=[improvement.pk]), {"description": "x", "position": 1}),
        (reverse("reporting:improvement_resource_add", args=[improvement.pk]), {"post": "x", "percent_of_time": 5}),
        (reverse("reporting:risk_add", args=[theme.pk]), {"area": "x"}),
        (reverse("reporting:indicator_add", args=[theme.pk]), {"title": "x"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    plan.refresh_from_db()
    improvement.refresh_from_db()
    theme.refresh_from_db()
    after = (plan.title, improvement.status, improvement.progress.count(), group.members.count(), theme.title)
    assert after == before and plan.status == "approved"
    assert not ImprovementPlan.objects.filter(title="Theirs").exists()


def test_the_council_officer_reads_every_almo_of_the_council_and_no_other(client_as, demo_data):
    mine, east, elsewhere = knh_plan(demo_data), east_plan(demo_data), other_council_plan()
    client = client_as("council.officer")
    listing = client.get(reverse("reporting:plan_list")).content.decode()
    assert mine.title in listing and east.title in listing and elsewhere.title not in listing
    assert client.get(east.get_absolute_url()).status_code == 200
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    for url in pages(mine):
        html = client.get(url).content.decode()
        assert not [control for control in EDIT_CONTROLS if control in html], url


def test_the_navigation_offers_improvement_plans_to_the_panel_but_not_to_department_officers(client_as, demo_data):
    link = f'href="{reverse("reporting:plan_list")}"'
    assert link in client_as("panel.member").get(reverse("reporting:return_list")).content.decode()
    assert link in client_as("council.officer").get(reverse("reporting:return_list")).content.decode()
    assert link not in client_as("repairs.officer").get(reverse("reporting:return_list")).content.decode()


def test_a_source_the_reader_may_not_open_is_named_without_a_link(client_as, demo_data):
    schedule = demo_data["main"].schedules.get(service__name="Responsive repairs")
    improvement = Improvement.objects.get(theme__plan=knh_plan(demo_data), reference="KT4/2")
    Improvement.objects.filter(pk=improvement.pk).update(source_schedule=schedule)
    value_url = reverse("services:schedule_value", args=[schedule.pk])
    coordinator = client_as("coordinator").get(improvement.get_absolute_url()).content.decode()
    assert value_url in coordinator
    panel = client_as("panel.member").get(improvement.get_absolute_url()).content.decode()
    assert "Value-for-money finding on Responsive repairs" in panel and value_url not in panel
    assert client_as("panel.member").get(value_url).status_code in (403, 404)  # why there is no link


@pytest.mark.parametrize(
    "name, limit",
    [
        ("plan_list", 9),
        ("plan_detail", 21),
        ("plan_risks", 10),
        ("theme_detail", 18),
        ("improvement_detail", 18),
        ("steering_group_detail", 11),
    ],
)
@pytest.mark.parametrize("role", ["panel.member", "council.officer"])
def test_plan_pages_keep_their_query_counts_for_the_new_readers(
    client_as, demo_data, django_assert_max_num_queries, name, limit, role
):
    plan = knh_plan(demo_data)
    args = {
        "plan_list": [],
        "plan_detail": [plan.pk],
        "plan_risks": [plan.pk],
        "theme_detail": [plan.themes.get(number=4).pk],
        "improvement_detail": [Improvement.objects.get(theme__plan=plan, reference="KT4/2").pk],
        "steering_group_detail": [plan.steering_groups.first().pk],
    }[name]
    client = client_as(role)
    with django_assert_max_num_queries(limit + 1):  # the same pins as the coordinator's (test_improvement_views)
        assert client.get(reverse(f"reporting:{name}", args=args)).status_code == 200
