from django.urls import path, register_converter

from reports import views
from reports.converters import MonthConverter, UnitCodeConverter

register_converter(MonthConverter, "month")
register_converter(UnitCodeConverter, "unitcode")

app_name = "reports"

urlpatterns = [
    path("", views.my_reports, name="mine"),
    path("review/", views.review_queue_view, name="queue"),
    path("review/approve/", views.review_queue_approve, name="queue-approve"),
    path("import/", views.bulk_import_view, name="bulk-import"),
    path("<unitcode:code>/<month:period>/", views.report_form, name="form"),
    path("<unitcode:code>/<month:period>/template.xlsx", views.import_template, name="template"),
    path("<unitcode:code>/<month:period>/import/", views.import_upload, name="import"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/decide/", views.report_decide, name="decide"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
