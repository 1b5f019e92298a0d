import django_tables2 as tables

from agreements.models import Agreement, Schedule

NUMERIC = {"td": {"class": "govuk-table__cell--numeric"}}


class AgreementTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column()
    almo = tables.Column(verbose_name="ALMO")
    status = tables.TemplateColumn("{% load agreement_tags %}{% status_tag record %}")
    start_date = tables.DateColumn(format="j M Y", verbose_name="Starts")
    schedule_count = tables.Column(verbose_name="Services", attrs=NUMERIC)
    total_annual_cost = tables.TemplateColumn(
        "{% load agreement_tags %}{{ value|money }}", verbose_name="Annual cost", attrs=NUMERIC
    )

    class Meta:
        model = Agreement
        fields = ["reference", "title", "almo", "status", "start_date", "schedule_count", "total_annual_cost"]
        order_by = ["-start_date"]

    def value_status(self, record):
        return record.get_status_display()

    def value_total_annual_cost(self, value):
        return value


class ScheduleTable(tables.Table):
    agreement = tables.Column(
        verbose_name="Agreement",
        accessor="agreement__reference",
        order_by=("agreement__reference",),
        linkify=lambda record: record.agreement.get_absolute_url(),
    )
    service = tables.Column(
        accessor="service__name",
        order_by=("service__name",),
        verbose_name="Service",
        linkify=lambda record: record.get_absolute_url(),
    )
    department = tables.Column(
        verbose_name="Department", accessor="service__department__name", order_by=("service__department__name",)
    )
    hra_funded = tables.BooleanColumn(accessor="service__hra_funded", verbose_name="HRA-funded", yesno="Yes,No")
    status = tables.Column(
        accessor="agreement__status", verbose_name="Agreement status", order_by=("agreement__status",)
    )
    notice_period_months = tables.TemplateColumn(
        "{% load agreement_tags %}{{ value|months }}", verbose_name="Notice period", attrs=NUMERIC
    )
    # the cost the user may see: blank where it is commercially confidential (agreements.confidential)
    annual_cost = tables.TemplateColumn(
        "{% load agreement_tags %}"
        "{% if value is None %}Commercially confidential{% else %}{{ value|money }}{% endif %}",
        accessor="visible_annual_cost",
        order_by=("annual_cost",),
        verbose_name="Annual cost",
        attrs=NUMERIC,
    )

    class Meta:
        model = Schedule
        fields = ["agreement", "service", "department", "hra_funded", "status", "notice_period_months", "annual_cost"]
        order_by = ["agreement", "service"]

    def render_status(self, record):
        return record.agreement.get_status_display()

    def value_status(self, record):
        return record.agreement.get_status_display()

    def value_notice_period_months(self, value):
        return value

    def value_annual_cost(self, value):
        return value
