from django.urls import path

from authoring import views

app_name = "authoring"

urlpatterns = [
    path("", views.plan_list_view, name="list"),
    path("new/", views.plan_new, name="new"),
    path("new/from-parent/", views.plan_new_from_parent, name="new-from-parent"),
    path("new/from-document/", views.plan_new_from_document, name="new-from-document"),
    path("targets/<int:pk>/", views.target_edit, name="target-edit"),
    path("targets/<int:pk>/remove/", views.target_remove, name="target-remove"),
    path("targets/<int:pk>/retire/", views.target_retire_view, name="target-retire"),
    path("tasks/<int:pk>/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/remove/", views.task_remove, name="task-remove"),
    path("<slug:key>/", views.plan_detail, name="detail"),
    path("<slug:key>/edit/", views.plan_edit, name="edit"),
    path("<slug:key>/issue/", views.plan_issue_view, name="issue"),
    path("<slug:key>/targets/new/", views.target_new, name="target-new"),
    path("<slug:key>/tasks/new/", views.task_new, name="task-new"),
]
