from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "Organisations and services"

    def ready(self):
        from almo_sla import security  # noqa: F401 - connects the security-logging signal receivers
        from services import checks  # noqa: F401 - registers the deployment checks
