from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicator/<slug:code>/", views.indicator_page, name="indicator"),
    path("unit/<str:code>/", views.unit_page, name="unit"),
    path("remind/", views.remind, name="remind"),
    path("plan-checks/", views.plan_checks, name="plan-checks"),
    path("tasks-panel/", views.tasks_panel, name="tasks-panel"),
]
