from django.conf import settings
from django.db import migrations, models


def forget_unbound(apps, schema_editor):
    # Forms stashed before they were bound to a user cannot be given back safely to anyone.
    apps.get_model("core", "PendingForm").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_audit_event_actor_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_unbound, migrations.RunPython.noop),
        migrations.AddField(
            model_name="pendingform",
            name="user",
            field=models.ForeignKey(
                default=None, on_delete=models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
            preserve_default=False,
        ),
    ]
