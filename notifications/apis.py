from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.apis import PortalReadOnlyViewSet
from notifications.models import Notification
from notifications.selectors import notifications_for, notifications_unread_count
from notifications.services import notifications_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False,
                                max_length=1000, help_text="Mã số các thông báo; bỏ trống để đánh dấu tất cả.")


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Số thông báo vừa được đánh dấu đã đọc.")
    unread = serializers.IntegerField(help_text="Số thông báo còn chưa đọc.")


class NotificationViewSet(PortalReadOnlyViewSet):
    """The signed-in user's own notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notifications_for(user=self.request.user)

    @extend_schema(request=None, responses=MarkedSerializer, operation_id="v1_notifications_read_one")
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        marked = notifications_mark_read(user=request.user, ids=[notification.pk])
        return Response({"marked": marked, "unread": notifications_unread_count(user=request.user)})

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer, operation_id="v1_notifications_read_many")
    @action(detail=False, methods=["post"], url_path="read")
    def read_many(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notifications_mark_read(user=request.user, ids=data.validated_data.get("ids"))
        return Response({"marked": marked, "unread": notifications_unread_count(user=request.user)})
