from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from reporting.cases import rules as case_rules  # noqa: F401 - registers the object rules
        from reporting.improvement import rules as plan_rules  # noqa: F401
