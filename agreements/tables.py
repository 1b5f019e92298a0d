import django_tables2 as tables

from agreements.models import Agreement


class AgreementTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column()
    almo = tables.Column(verbose_name="ALMO")
    status = tables.TemplateColumn("{% load agreement_tags %}{% status_tag record %}")
    start_date = tables.DateColumn(format="j M Y", verbose_name="Starts")
    schedule_count = tables.Column(verbose_name="Services", attrs={"td": {"class": "govuk-table__cell--numeric"}})
    total_annual_cost = tables.TemplateColumn(
        "{% load agreement_tags %}{{ value|money }}",
        verbose_name="Annual cost",
        attrs={"td": {"class": "govuk-table__cell--numeric"}},
    )

    class Meta:
        model = Agreement
        fields = ["reference", "title", "almo", "status", "start_date", "schedule_count", "total_annual_cost"]
        order_by = ["-start_date"]
