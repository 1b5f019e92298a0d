import django_tables2 as tables
from django.utils import timezone

from reporting.models import Departure, QuarterlyReturn


class ReturnTable(tables.Table):
    period = tables.Column(verbose_name="Quarter", accessor="pk", order_by=("financial_year", "quarter"), linkify=lambda record: record.get_absolute_url())
    department = tables.Column(order_by=("department__name",))
    agreement = tables.Column(accessor="agreement__reference", verbose_name="Agreement")
    due_date = tables.DateColumn(format="j M Y", verbose_name="Due")
    progress = tables.TemplateColumn(
        "{% load reporting_tags %}{% progress_tag record %}{% if record.submitted_at and record|is_late %} <strong class=\"govuk-tag govuk-tag--orange\">Late</strong>{% endif %}",
        verbose_name="Status", accessor="status",
    )
    rag = tables.TemplateColumn("{% load reporting_tags %}{% rag_counts record %}", verbose_name="RAG", orderable=False)

    class Meta:
        model = QuarterlyReturn
        fields = ["period", "department", "agreement", "due_date", "progress", "rag"]
        order_by = ["-period"]

    def render_period(self, record):
        return record.period.label

    def value_period(self, record):
        return record.period.label


class DepartureTable(tables.Table):
    quarter = tables.Column(accessor="result__quarterly_return", verbose_name="Quarter", order_by=("result__quarterly_return__financial_year", "result__quarterly_return__quarter"), linkify=lambda record: record.result.quarterly_return.get_absolute_url())
    department = tables.Column(accessor="result__quarterly_return__department__name", verbose_name="Department")
    service = tables.Column(accessor="result__standard__schedule__service__name", verbose_name="Service")
    standard = tables.Column(accessor="result__standard__title", verbose_name="Standard")
    what_happened = tables.Column(verbose_name="What happened")
    cases = tables.Column(attrs={"td": {"class": "govuk-table__cell--numeric"}})
    reason = tables.Column()
    remedial_action = tables.Column(verbose_name="Remedial action")
    owner = tables.Column(verbose_name="Owner")
    target_date = tables.DateColumn(format="j M Y", verbose_name="Target date")
    resolved = tables.Column(verbose_name="Resolved")

    class Meta:
        model = Departure
        fields = ["quarter", "department", "service", "standard", "what_happened", "cases", "reason", "remedial_action", "owner", "target_date", "resolved"]

    def render_quarter(self, record):
        return record.result.quarterly_return.period.label

    def value_quarter(self, record):
        return record.result.quarterly_return.period.label

    def render_resolved(self, record):
        return f"Yes, {record.resolved_on:%-d %B %Y}" if record.resolved else "Open"

    def value_resolved(self, record):
        return record.resolved_on.isoformat() if record.resolved else "open"


__all__ = ["ReturnTable", "DepartureTable", "timezone"]
