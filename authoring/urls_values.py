from django.urls import path

from authoring import views_values

app_name = "unit_values"

urlpatterns = [
    path("targets/<int:pk>/values/", views_values.unit_values, name="grid"),
    path("targets/<int:pk>/values/template.xlsx", views_values.unit_values_template, name="template"),
    path("targets/<int:pk>/values/import/", views_values.unit_values_upload, name="import"),
]
