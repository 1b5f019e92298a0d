import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from reporting.models import Departure, QuarterlyReturn


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
    progress = tables.TemplateColumn(
        '{% load reporting_tags %}{% progress_tag record %}{% if record.submitted_at and record|is_late %} <strong class="govuk-tag govuk-tag--orange">Late</strong>{% endif %}',  # noqa: E501
        verbose_name="Status",
        accessor="status",
    )
    rag = tables.TemplateColumn("{% load reporting_tags %}{% rag_counts record %}", verbose_name="RAG", orderable=False)

    class Meta:
        model = QuarterlyReturn
        fields = ["period", "department", "agreement", "due_date", "progress", "rag"]
        order_by = ["-period"]

    def render_period(self, record):
        return format_html('{}<span class="govuk-visually-hidden"> {}</span>', record.period.label, record.department)

    def value_period(self, record):
        return record.period.label


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
    standard = tables.TemplateColumn(
        '{{ record.result.standard.title }}<br><span class="govuk-body-s">{{ record.result.standard.schedule.service.name }}, '  # noqa: E501
        "{{ record.result.quarterly_return.department.name }}</span>",
        accessor="result__standard__title",
        verbose_name="Standard",
    )
    service = tables.Column(accessor="result__standard__schedule__service__name", verbose_name="Service", visible=False)
    what_happened = tables.TemplateColumn(
        '{{ record.what_happened }}<br><span class="govuk-body-s">{{ record.cases }} case{{ record.cases|pluralize }}</span>',  # noqa: E501
        verbose_name="What happened",
    )
    cases = tables.Column(verbose_name="Number of cases", visible=False)
    reason = tables.Column()
    remedial_action = tables.TemplateColumn(
        '{{ record.remedial_action }}<br><span class="govuk-body-s">{{ record.owner }}, by {{ record.target_date|date:"j F Y" }}</span>',  # noqa: E501
        verbose_name="Remedial action",
    )
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
