"""`/api/v1/tasks/`: each task with its current occurrence's computed status and reason, and the actions
progress, submit, accept and return through the same services as the pages."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.apis import PortalReadOnlyViewSet
from plans.apis import PlanTaskOutputSerializer
from plans.models import PlanTask
from tasks.selectors import accepting_unit_of, task_rows, tasks_visible_to
from tasks.services import ProductInput, task_accept, task_progress_record, task_return, task_submit
from tasks.status import State, Status


class TaskFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__key", label="Kế hoạch (khóa)")
    lead_unit = django_filters.CharFilter(field_name="lead_unit__code", label="Đơn vị chủ trì (mã định danh)")

    class Meta:
        model = PlanTask
        fields = ["due_kind", "conflict_status"]


class TaskOutputSerializer(PlanTaskOutputSerializer):
    status = serializers.SerializerMethodField()
    status_reason = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()
    occurrence_due_on = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    product = serializers.SerializerMethodField()
    done_on = serializers.SerializerMethodField()
    accepted_at = serializers.SerializerMethodField()
    accepting_unit = serializers.SerializerMethodField()
    closed_from = serializers.SerializerMethodField(help_text="Nhiệm vụ kết thúc từ ngày (rời bảng theo dõi)")

    class Meta(PlanTaskOutputSerializer.Meta):
        fields = [f for f in PlanTaskOutputSerializer.Meta.fields if f != "status"] + [
            "responsible_person", "contributions", "recurrence", "accepting_unit", "period", "occurrence_due_on",
            "state", "status", "status_reason", "version", "product", "done_on", "accepted_at", "closed_from"]

    def _row(self, task):
        rows = self.context.setdefault("rows", {})
        if task.pk not in rows:
            rows[task.pk] = task_rows(tasks=[task], today=timezone.localdate())[0]
        return rows[task.pk]

    def get_closed_from(self, task) -> str | None:
        closure = getattr(task, "closure", None)
        return closure.closed_from.isoformat() if closure else None

    def get_status(self, task) -> str:
        return self._row(task).status.code

    def get_status_reason(self, task) -> str:
        return self._row(task).status.reason

    def get_state(self, task) -> str:
        return self._row(task).state

    def get_period(self, task) -> str:
        return self._row(task).occurrence.period

    def get_occurrence_due_on(self, task) -> str | None:
        due = self._row(task).occurrence.due_on
        return due.isoformat() if due else None

    def get_version(self, task) -> int:
        record = self._row(task).record
        return record.version if record else 0

    def get_product(self, task) -> dict:
        record = self._row(task).record
        return {"link": record.product_link if record else "",
                "document_number": record.document_number if record else "",
                "document_date": record.document_date.isoformat() if record and record.document_date else None,
                "document_summary": record.document_summary if record else ""}

    def get_done_on(self, task) -> str | None:
        record = self._row(task).record
        return record.done_on.isoformat() if record and record.done_on else None

    def get_accepted_at(self, task) -> str | None:
        record = self._row(task).record
        return record.accepted_at.isoformat() if record and record.accepted_at else None

    def get_accepting_unit(self, task) -> str:
        # Tasks of one plan share their default: the office is looked up once per issuer.
        acceptors = self.context.setdefault("acceptors", {})
        key = (task.plan.issuer_id, task.accepting_unit_id)
        if key not in acceptors:
            acceptors[key] = accepting_unit_of(task).code
        return acceptors[key]


TaskOutputSerializer._declared_fields["status"].help_text = " / ".join(f"{v}: {label}" for v, label in Status.choices)
TaskOutputSerializer._declared_fields["state"].help_text = " / ".join(f"{v}: {label}" for v, label in State.choices)


class TaskPeriodSerializer(serializers.Serializer):
    period = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Kỳ của việc định kỳ: 2026-05 hoặc 2026-Q2; để trống với việc một lần.")


class TaskProgressSerializer(TaskPeriodSerializer):
    on = serializers.DateField()
    text = serializers.CharField(allow_blank=True)
    obstacles = serializers.CharField(required=False, allow_blank=True, default="")
    proposals = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, required=False)


class TaskSubmitSerializer(TaskPeriodSerializer):
    link = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    document_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    document_summary = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=0, required=False)


class TaskReturnSerializer(TaskPeriodSerializer):
    reason = serializers.CharField(allow_blank=True)


class TaskViewSet(PortalReadOnlyViewSet):
    """Assigned tasks of the plans the user may read, with the status of their current occurrence."""

    serializer_class = TaskOutputSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return tasks_visible_to(user=self.request.user).select_related("closure").order_by("plan__key", "number")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = {row.task.pk: row for row in task_rows(tasks=page, today=timezone.localdate())}
        data = TaskOutputSerializer(page, many=True, context={**self.get_serializer_context(), "rows": rows}).data
        return self.get_paginated_response(data)

    def _task(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _answer(self, task):
        return Response(TaskOutputSerializer(self.get_queryset().get(pk=task.pk),
                                             context=self.get_serializer_context()).data)

    @extend_schema(request=TaskProgressSerializer, responses=TaskOutputSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        task = self._task()
        data = TaskProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task_progress_record(task=task, by=request.user, **data.validated_data)
        return self._answer(task)

    @extend_schema(request=TaskSubmitSerializer, responses=TaskOutputSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        task = self._task()
        data = TaskSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        product = ProductInput(link=values["link"], document_number=values["document_number"],
                               document_date=values["document_date"], document_summary=values["document_summary"])
        task_submit(task=task, by=request.user, product=product, period=values["period"],
                    version=values.get("version"))
        return self._answer(task)

    @extend_schema(request=TaskPeriodSerializer, responses=TaskOutputSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        task = self._task()
        data = TaskPeriodSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task_accept(task=task, by=request.user, period=data.validated_data["period"])
        return self._answer(task)

    @extend_schema(request=TaskReturnSerializer, responses=TaskOutputSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        task = self._task()
        data = TaskReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task_return(task=task, by=request.user, **data.validated_data)
        return self._answer(task)
