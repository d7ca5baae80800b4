from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_create, name="create"),
    path("<int:pk>/", views.export_status, name="job"),
    path("<int:pk>/file/", views.export_download, name="file"),
    path("<int:pk>/document/", views.export_download, {"part": "document"}, name="document"),
]
