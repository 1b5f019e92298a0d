import django_tables2 as tables
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reporting.models import Departure, QuarterlyReturn
from reporting.templatetags.reporting_tags import progress_tag, rag_counts


class ReturnTable(tables.Table):
    period = tables.Column(
        verbose_name="Quarter",
        accessor="pk",
        order_by=("financial_year", "quarter"),
        linkify=lambda record: record.get_absolute_url(),
    )
    department = tables.Column(order_by=("department__name",))
    agreement = tables.Column(accessor="agreement__reference", verbose_name="Agreement")
    due_date = tables.DateColumn(format="j M Y", verbose_name="Due")
    progress = tables.Column(verbose_name="Status", accessor="status", empty_values=())
    rag = tables.Column(verbose_name="RAG", accessor="pk", orderable=False, empty_values=())

    class Meta:
        model = QuarterlyReturn
        fields = ["period", "department", "agreement", "due_date", "progress", "rag"]
        order_by = ["-period"]

    def render_period(self, record):
        return format_html('{}<span class="govuk-visually-hidden"> {}</span>', record.period.label, record.department)

    def value_period(self, record):
        return record.period.label

    # Cells rendered in Python (a template per cell costs more than the rest of the page together).
    def render_progress(self, record):
        tag = progress_tag(record, self.today)
        if record.submitted_at and record.is_late(self.today):
            return format_html('{} <strong class="govuk-tag govuk-tag--orange">Late</strong>', tag)
        return tag

    def render_rag(self, record):
        return rag_counts(record)

    @cached_property
    def today(self):
        return timezone.localdate()


class DepartureTable(tables.Table):
    """Six columns on screen; the export adds department, service, cases, owner and target date as columns of their own."""  # noqa: E501

    quarter = tables.Column(
        accessor="result__quarterly_return",
        verbose_name="Quarter",
        order_by=("result__quarterly_return__financial_year", "result__quarterly_return__quarter"),
        linkify=lambda record: record.result.quarterly_return.get_absolute_url(),
    )
    department = tables.Column(
        accessor="result__quarterly_return__department__name", verbose_name="Department", visible=False
    )
    standard = tables.Column(accessor="result__standard__title", verbose_name="Standard", empty_values=())
    service = tables.Column(accessor="result__standard__schedule__service__name", verbose_name="Service", visible=False)
    what_happened = tables.Column(verbose_name="What happened", empty_values=())
    cases = tables.Column(verbose_name="Number of cases", visible=False)
    reason = tables.Column()
    remedial_action = tables.Column(verbose_name="Remedial action", empty_values=())
    owner = tables.Column(verbose_name="Owner", visible=False)
    target_date = tables.DateColumn(format="Y-m-d", verbose_name="Target date", visible=False)
    resolved = tables.Column(verbose_name="Resolved")

    class Meta:
        model = Departure
        fields = [
            "quarter",
            "department",
            "standard",
            "service",
            "what_happened",
            "cases",
            "reason",
            "remedial_action",
            "owner",
            "target_date",
            "resolved",
        ]

    def render_quarter(self, record):
        return record.result.quarterly_return.period.label

    def value_quarter(self, record):
        return record.result.quarterly_return.period.label

    # Cells rendered in Python, escaped by format_html (a template per cell was most of the page's time).
    def render_standard(self, record):
        result = record.result
        return format_html(
            '{}<br><span class="govuk-body-s">{}, {}</span>',
            result.standard.title,
            result.standard.schedule.service.name,
            result.quarterly_return.department.name,
        )

    def render_what_happened(self, record):
        return format_html(
            '{}<br><span class="govuk-body-s">{} case{}</span>',
            record.what_happened,
            record.cases,
            pluralize(record.cases),
        )

    def render_remedial_action(self, record):
        return format_html(
            '{}<br><span class="govuk-body-s">{}, by {}</span>',
            record.remedial_action,
            record.owner,
            date_format(record.target_date, "j F Y") if record.target_date else "",
        )

    def value_standard(self, record):
        return record.result.standard.title

    def value_what_happened(self, record):
        return record.what_happened

    def value_remedial_action(self, record):
        return record.remedial_action

    def render_resolved(self, record):
        if record.resolved:
            return format_html("Yes, {}", f"{record.resolved_on:%-d %B %Y}")
        return mark_safe('<strong class="govuk-tag govuk-tag--orange">Open</strong>')

    def value_resolved(self, record):
        return record.resolved_on.isoformat() if record.resolved else "open"
