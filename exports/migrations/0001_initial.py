# The export job moved here from the reports app: the table stays, only Django's idea of its owner changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0004_export_job'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExportJob',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('quarter', models.PositiveSmallIntegerField(verbose_name='quarter')),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Being built'), ('done', 'Ready'), ('failed', 'Failed')], default='queued', max_length=20, verbose_name='state')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('file', models.FileField(blank=True, max_length=200, upload_to='exports/', verbose_name='file')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='units.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'export',
                        'verbose_name_plural': 'exports',
                        'ordering': ['-created_at'],
                        'db_table': 'reports_exportjob',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
