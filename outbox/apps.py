from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "E-mail outbox (GOV.UK Notify)"
    default_auto_field = "django.db.models.BigAutoField"
