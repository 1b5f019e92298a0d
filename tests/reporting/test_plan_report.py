"""The plan progress report (PDF, rendered by a Celery task) and the board pack's section:
overdue and slipped first, then the themes, then risks at or above the threshold; tagged PDF."""

from io import BytesIO

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reporting.improvement.models import Improvement, ImprovementPlan, PlanReport, Risk
from reporting.improvement.report import improvement_section, plan_report_content, plan_report_pdf
from services.periods import Quarter

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(pdf)).pages)


def test_the_report_puts_overdue_and_slipped_first_then_themes_then_risks(demo_data):
    plan = ImprovementPlan.objects.get(almo=demo_data["main"].almo)
    pdf, pages = plan_report_pdf(plan=plan)
    text = text_of(pdf)
    assert pages == len(PdfReader(BytesIO(pdf)).pages) >= 3
    assert text.index("Overdue and slipped") < text.index("Priority One") < text.index("Priority Two")
    assert text.index("Priority Two") < text.index("Risks at or above the threshold")
    today = timezone.localdate()
    overdue = [i for i in Improvement.objects.filter(theme__plan=plan) if i.is_overdue(today)]
    assert overdue and all(i.reference in text.split("Priority One")[0] for i in overdue)
    assert "Kirkby Building Services could not staff the team before the winter" in text  # a slip's reason
    assert "BVPI 72" in text and "74.48%" in text and "2025/26: 85%" in text
    above = [r for r in Risk.objects.filter(theme__plan=plan) if r.is_above(plan.risk_threshold)]
    assert f"{len(above)} of {Risk.objects.filter(theme__plan=plan).count()} risks" in text
    below = next(r for r in Risk.objects.filter(theme__plan=plan) if not r.is_above(plan.risk_threshold))
    assert below.area not in text.split("Risks at or above the threshold")[1]


def test_the_report_is_a_tagged_pdf_with_title_and_language(demo_data):
    pdf, _pages = plan_report_pdf(plan=ImprovementPlan.objects.get(almo=demo_data["main"].almo))
    with pikepdf.open(BytesIO(pdf)) as doc:
        root = doc.Root
        assert root.MarkInfo.Marked and "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert str(doc.open_metadata().get("dc:title")) == "Service Improvement Plan 2025 to 2028: progress report"


def test_a_board_member_asks_for_the_report_and_downloads_it(
    client_as, demo_data, media, eager_celery, django_capture_on_commit_callbacks
):
    plan = ImprovementPlan.objects.get(almo=demo_data["main"].almo)
    client = client_as("board.member")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:plan_report_request", args=[plan.pk]))
    report = PlanReport.objects.get(plan=plan)
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert (
        report.status == PlanReport.Status.READY
        and report.pages >= 3
        and report.requested_by.username == "board.member"
    )
    download = client.get(reverse("reporting:plan_report_download", args=[report.pk]))
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_as("east.coordinator").get(reverse("reporting:plan_report_download", args=[report.pk])).status_code
        == 404
    )


def test_a_redelivered_render_does_nothing_twice(demo_data, demo_user, media):
    from reporting.improvement.services import plan_report_render

    plan = ImprovementPlan.objects.get(almo=demo_data["main"].almo)
    report = PlanReport.objects.create(plan=plan, requested_by=demo_user("coordinator"))
    assert plan_report_render(report_id=report.pk).status == PlanReport.Status.READY
    assert plan_report_render(report_id=report.pk) is None


def test_the_pack_section_reads_the_approved_plan_and_open_cases(demo_data):
    almo = demo_data["main"].almo
    quarter = Quarter.containing(timezone.localdate()).previous()
    section = improvement_section(almo=almo, quarter=quarter)
    assert [p.plan.title for p in section.plans] == ["Service Improvement Plan 2025 to 2028"]
    assert [line.case.standard.title for line in section.open_cases] == ["Urgent repairs completed within time limits"]
    content = plan_report_content(plan=section.plans[0].plan)
    assert content.total == Improvement.objects.filter(theme__plan__almo=almo).count()
    assert [label for label, _blocks in content.bands] == ["Priority One", "Priority Two"]
    assert improvement_section(almo=demo_data["east"].almo, quarter=quarter).is_empty


def test_the_pack_html_has_the_improvement_section(demo_data):
    from reporting.packs.content import pack_content
    from reporting.packs.render import pack_html

    content = pack_content(almo=demo_data["main"].almo, quarter=Quarter.containing(timezone.localdate()).previous())
    html = pack_html(content)  # the one document the pack renders
    html = html[html.index('id="improvement"') :]
    assert "Improvement plan and escalation" in html and "KT4: Improving the repair service" in html
    assert "Escalation cases" in html and "Urgent repairs completed within time limits" in html
