import django_tables2 as tables

from services.models import Service


class ServiceTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="Service")
    department = tables.Column(order_by=("department__name",))
    kind = tables.Column(verbose_name="Type")
    category = tables.Column()
    hra_funded = tables.BooleanColumn(verbose_name="HRA funded", yesno="Yes,No")
    agreement_count = tables.Column(verbose_name="Agreements", attrs={"td": {"class": "govuk-table__cell--numeric"}})

    class Meta:
        model = Service
        fields = ["name", "department", "kind", "category", "hra_funded", "agreement_count"]
