from django.urls import path

from authoring import views, views_amendment

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
    path("tasks/<int:pk>/close/", views.task_close_view, name="task-close"),
    path("<slug:key>/", views.plan_detail, name="detail"),
    path("<slug:key>/edit/", views.plan_edit, name="edit"),
    path("<slug:key>/issue/", views.plan_issue_view, name="issue"),
    path("<slug:key>/targets/new/", views.target_new, name="target-new"),
    path("<slug:key>/tasks/new/", views.task_new, name="task-new"),
    path("<slug:key>/amendment/", views_amendment.amendment_view, name="amendment"),
    path("<slug:key>/amendment/open/", views_amendment.amendment_open_view, name="amendment-open"),
    path("<slug:key>/amendment/apply/", views_amendment.amendment_apply_view, name="amendment-apply"),
    path("<slug:key>/amendment/discard/", views_amendment.amendment_discard_view, name="amendment-discard"),
    path("<slug:key>/amendment/drop/", views_amendment.amendment_drop_view, name="amendment-drop"),
    path("<slug:key>/amendment/<slug:item>/", views_amendment.amendment_item_view, name="amendment-item"),
]
