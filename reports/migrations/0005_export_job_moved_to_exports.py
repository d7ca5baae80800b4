# The export job now belongs to the exports app (exports/migrations/0001_initial.py); its table is kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0004_export_job'),
        ('exports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ExportJob')],
            database_operations=[],
        ),
    ]
