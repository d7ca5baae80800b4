from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/product/", views.product, name="product"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("files/<int:pk>/", views.product_download, name="file"),
]
