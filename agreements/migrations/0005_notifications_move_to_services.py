"""Circulation e-mails are now recorded by the notification framework (services.Notification):
the records already kept are copied there, so nothing already sent is sent again."""

from django.db import migrations

KINDS = {
    "circulated": "circulated",
    "reminder": "comment_deadline_reminder",
    "deadline_passed": "comment_deadline_passed",
}


def copy_to_services(apps, schema_editor):
    Old = apps.get_model("agreements", "Notification")
    New = apps.get_model("services", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    version_type, _ = ContentType.objects.get_or_create(app_label="agreements", model="agreementversion")
    rows = []
    for old in Old.objects.select_related("version__agreement").iterator():
        event = KINDS.get(old.kind, old.kind)
        rows.append(
            New(
                event=event,
                recipient_id=old.recipient_id,
                key=f"{event}:agreements.agreementversion:{old.version_id}",
                content_type_id=version_type.pk,
                object_id=old.version_id,
                subject=f"{old.version.agreement.reference} v{old.version.number}",
                body="(sent before notifications were recorded in full)",
                sent_at=old.sent_at,
                attempts=1,
                claimed_by="migrated",
            )
        )
    New.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_schedule_supersedes"),
        ("services", "0003_notifications_and_delivery_preference"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_to_services, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
