"""`/api/v1/plans/` with its writes: a draft created, edited, issued; an issued plan amended with its reason; a draft's
targets and tasks written. Every write calls the same service as the pages, so the same checks and audit rows."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from authoring.amendments import (
    amendment_apply,
    amendment_discard,
    amendment_heading_save,
    amendment_open,
    amendment_review,
    amendment_target_remove,
    amendment_target_retire,
    amendment_target_save,
    amendment_task_close,
    amendment_task_remove,
    amendment_task_save,
)
from authoring.extract_passage import PASSAGE_MAX_CHARS
from authoring.reading import KINDS, document_read, passage_checked, passages_read
from authoring.selectors import amendment_open_for, issuers_for, parents_for, plan_writable, user_writes_plans
from authoring.services import (
    TargetEdit,
    TaskEdit,
    plan_amend,
    plan_draft_create,
    plan_draft_from_parent,
    plan_draft_update,
    plan_issue,
    target_delete,
    target_save,
    task_delete,
    task_save,
)
from plans.apis import PlanOutputSerializer, PlanViewSet
from plans.models import Plan, PlanKind, PlanTask, Recurrence
from targets.models import Comparator, Counts, Indicator, Judged, Reporters, Target
from units.access import units_visible_to
from units.models import Unit, UnitKind


# The plans' component keeps its name: the same plans, with their status and version.
@extend_schema_serializer(component_name="PlanOutput")
class AuthoredPlanOutputSerializer(PlanOutputSerializer):
    class Meta(PlanOutputSerializer.Meta):
        fields = [*PlanOutputSerializer.Meta.fields, "status", "version"]


@extend_schema_field({"type": "string", "description": "Mã định danh đơn vị"})
class UnitCodeField(serializers.SlugRelatedField):
    """A unit by its code, among the units the user reads."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return units_visible_to(user=request.user) if request else Unit.objects.none()


class PlanCreateSerializer(serializers.Serializer):
    issuer = serializers.CharField(help_text="Mã định danh đơn vị ban hành")
    title = serializers.CharField(max_length=500)
    year_start = serializers.IntegerField(min_value=2000, max_value=2100)
    year_end = serializers.IntegerField(min_value=2000, max_value=2100)
    parent = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="Khóa kế hoạch cấp trên được thực hiện")
    from_parent = serializers.BooleanField(required=False, default=False,
                                           help_text="Sao mục tiêu, nhiệm vụ của kế hoạch cấp trên vào bản nháp")
    number = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=PlanKind.choices, required=False, default=PlanKind.KE_HOACH)


class PlanUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    number = serializers.CharField(required=False, allow_blank=True, max_length=50)
    issued_on = serializers.DateField(required=False, allow_null=True)
    year_start = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    year_end = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    kind = serializers.ChoiceField(choices=PlanKind.choices, required=False)


@extend_schema_field({"type": "string", "nullable": True, "description": "Khóa kế hoạch cấp trên được thực hiện"})
class ParentKeyField(serializers.SlugRelatedField):
    """An issued plan by its key, among the plans the user reads."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="key", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return parents_for(user=request.user) if request else Plan.objects.none()


class HeadingEditSerializer(serializers.Serializer):
    """The heading of an issued plan changed in its amendment: only the fields given, the others as they are."""

    number = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="Số ký hiệu")
    kind = serializers.ChoiceField(choices=PlanKind.choices, required=False)
    title = serializers.CharField(max_length=500, required=False)
    issued_on = serializers.DateField(required=False, allow_null=True)
    year_start = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    year_end = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    parent = ParentKeyField(required=False, allow_null=True,
                            help_text="Khóa kế hoạch cấp trên được thực hiện; null: không thực hiện kế hoạch nào")


class AuthoredTargetInputSerializer(serializers.Serializer):
    indicator = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.filter(is_active=True),
                                             required=False)
    comparator = serializers.ChoiceField(choices=Comparator.choices, required=False)
    value = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    value_max = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    due = serializers.CharField(required=False, help_text="Như kế hoạch ghi: 2026, Quý II/2026, 09/2026, 31/12/2026")
    scope_unit = UnitCodeField(required=False, allow_null=True)
    counts = serializers.ChoiceField(choices=Counts.choices, required=False)
    applies_to_kinds = serializers.ListField(child=serializers.ChoiceField(choices=UnitKind.choices), required=False)
    applies_to_units = UnitCodeField(many=True, required=False)
    judged = serializers.ChoiceField(choices=Judged.choices, required=False)
    reporters = serializers.ChoiceField(choices=Reporters.choices, required=False)
    responsible_unit = UnitCodeField(required=False, allow_null=True)
    series = serializers.CharField(required=False, allow_blank=True, max_length=50)
    clause = serializers.CharField(required=False)


class AuthoredTaskInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, required=False)
    group = serializers.CharField(required=False, allow_blank=True, max_length=255)
    title = serializers.CharField(required=False)
    lead_unit = UnitCodeField(required=False, allow_null=True)
    lead_text = serializers.CharField(required=False, allow_blank=True, max_length=255)
    cooperating_units = UnitCodeField(many=True, required=False)
    cooperating_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    due = serializers.CharField(required=False, allow_blank=True,
                                help_text="Như kế hoạch ghi; để trống với việc thường xuyên (có định kỳ)")
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, required=False, allow_blank=True)
    expected_output = serializers.CharField(required=False, allow_blank=True)
    responsible_person = serializers.CharField(required=False, allow_blank=True, max_length=255)
    contributions = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    accepting_unit = UnitCodeField(required=False, allow_null=True)


class TargetAmendSerializer(AuthoredTargetInputSerializer):
    id = serializers.IntegerField(required=False, help_text="Mục tiêu được sửa; bỏ trống để thêm mục tiêu")
    remove = serializers.BooleanField(required=False, default=False)
    retire_from = serializers.DateField(required=False, allow_null=True, default=None,
                                        help_text="Thôi áp dụng từ tháng (ngày đầu tháng)")


class TaskAmendSerializer(AuthoredTaskInputSerializer):
    id = serializers.IntegerField(required=False, help_text="Nhiệm vụ được sửa; bỏ trống để thêm nhiệm vụ")
    remove = serializers.BooleanField(required=False, default=False)
    close_from = serializers.DateField(required=False, allow_null=True, default=None,
                                       help_text="Kết thúc nhiệm vụ từ ngày (rời bảng theo dõi và nhắc việc)")


class AmendSerializer(serializers.Serializer):
    reason = serializers.CharField()
    heading = HeadingEditSerializer(required=False, allow_null=True, default=None,
                                    help_text="Thông tin chung của kế hoạch được điều chỉnh")
    targets = TargetAmendSerializer(many=True, required=False, default=list)
    tasks = TaskAmendSerializer(many=True, required=False, default=list)


class AmendmentEditsSerializer(serializers.Serializer):
    heading = HeadingEditSerializer(required=False, allow_null=True, default=None,
                                    help_text="Thông tin chung của kế hoạch: số ký hiệu, tiêu đề, ngày, năm, kế hoạch "
                                              "cấp trên; ghi trước mục tiêu, nhiệm vụ")
    targets = TargetAmendSerializer(many=True, required=False, default=list)
    tasks = TaskAmendSerializer(many=True, required=False, default=list)


class ApplySerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Lý do điều chỉnh, lưu cùng phiên bản mới")


class PendingItemSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Mã mục trong bản điều chỉnh: target-12, task-new-1 …")
    kind = serializers.ChoiceField(choices=KINDS)
    label = serializers.CharField()
    action = serializers.CharField()
    refusal = serializers.ListField(child=serializers.CharField(), help_text="Lý do mục này bị từ chối, nếu có")


class AmendmentOutputSerializer(serializers.Serializer):
    """The working copy as its page shows it: what the new version will say, its edits, what stops it."""

    id = serializers.IntegerField(source="amendment.id")
    based_on = serializers.IntegerField(source="amendment.based_on", help_text="Phiên bản đang được điều chỉnh")
    opened_by = serializers.CharField(source="amendment.opened_by_name")
    opened_at = serializers.DateTimeField(source="amendment.opened_at")
    lines = serializers.ListField(child=serializers.CharField(), help_text="Những thay đổi phiên bản mới sẽ ghi")
    items = PendingItemSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())
    may_apply = serializers.BooleanField()
    moved_on = serializers.BooleanField(help_text="Kế hoạch đã có phiên bản mới hơn từ khi mở bản điều chỉnh")


class AuthoredTargetSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    scope_label = serializers.CharField(read_only=True)
    due_label = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = ["id", "position", "indicator", "comparator", "value", "value_max", "due_kind", "due_on",
                  "due_label", "scope_label", "clause", "parent_target", "retired_from"]


class AuthoredTaskSerializer(serializers.ModelSerializer):
    lead_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    due_label = serializers.CharField(read_only=True)

    class Meta:
        model = PlanTask
        fields = ["id", "number", "title", "lead_unit", "lead_text", "due_kind", "due_on", "due_label",
                  "expected_output", "parent_task"]


ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="Mã số mục tiêu / nhiệm vụ")


def _edits(rows: list[dict], model, *, plan, edit_class):
    edits = []
    for row in rows:
        row = dict(row)
        pk, remove = row.pop("id", None), row.pop("remove", False)
        retire = row.pop("retire_from", None)
        item = get_object_or_404(model, pk=pk, plan=plan) if pk else None
        extra = {"retire_from": retire} if retire is not None else {}
        edits.append(edit_class(item, row, remove, **extra))
    return edits


def _edits_keep(*, by, amendment, plan, heading: dict | None, targets: list[dict], tasks: list[dict]) -> None:
    """Each row into the working copy through the same services as the pages; the heading first, so the targets and
    tasks are checked against its years."""
    if heading:
        amendment_heading_save(by=by, amendment=amendment, data=dict(heading))
    for row in targets:
        row = dict(row)
        pk, remove, retire = row.pop("id", None), row.pop("remove", False), row.pop("retire_from", None)
        target = get_object_or_404(Target, pk=pk, plan=plan) if pk else None
        if remove:
            amendment_target_remove(by=by, amendment=amendment, target=target)
        elif retire is not None:
            amendment_target_retire(by=by, amendment=amendment, target=target, from_month=retire)
        if row or (target is None and not remove):
            amendment_target_save(by=by, amendment=amendment, target=target, data=row)
    for row in tasks:
        row = dict(row)
        pk, remove, close = row.pop("id", None), row.pop("remove", False), row.pop("close_from", None)
        task = get_object_or_404(PlanTask, pk=pk, plan=plan) if pk else None
        if remove:
            amendment_task_remove(by=by, amendment=amendment, task=task)
        elif close is not None:
            amendment_task_close(by=by, amendment=amendment, task=task, from_day=close)
        if row or (task is None and not remove):
            amendment_task_save(by=by, amendment=amendment, task=task, data=row)


class DocumentReadSerializer(serializers.Serializer):
    """A plan's text, pasted or as its document (.docx, .pdf with a text layer, .txt), and the passages the reading
    missed that the author points at, each read on its own."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)
    passages = serializers.ListField(child=serializers.CharField(max_length=PASSAGE_MAX_CHARS), required=False,
                                     default=list)

    def validate(self, data):
        if not data.get("text", "").strip() and not data.get("file"):
            raise serializers.ValidationError(_("Paste the plan's text or choose its document."))
        return data


class CandidateSerializer(serializers.Serializer):
    """One proposal, as `manage.py plan_extract --json` prints it, with the words that set its deadline."""

    kind = serializers.ChoiceField(choices=KINDS)
    clause = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    indicator = serializers.CharField(allow_null=True)
    comparator = serializers.ChoiceField(choices=Comparator.choices)
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False)
    value_max = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, coerce_to_string=False)
    measure = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_blank=True)
    due = serializers.DateField(allow_null=True)
    due_text = serializers.CharField(allow_blank=True)
    lead = serializers.CharField(allow_blank=True)
    cooperating = serializers.CharField(allow_blank=True)
    output = serializers.CharField(allow_blank=True)


class DocumentReadingSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    candidates = CandidateSerializer(many=True)


class AuthoredPlanViewSet(PlanViewSet):
    """Plans the user reads (their drafts included); the office of the issuing committee writes them."""

    serializer_class = AuthoredPlanOutputSerializer

    def _plan(self):
        return plan_writable(user=self.request.user, key=self.kwargs["key"])

    def _answer(self, plan, code=status.HTTP_200_OK):
        return Response(AuthoredPlanOutputSerializer(self.get_queryset().get(pk=plan.pk)).data, status=code)

    @extend_schema(request=PlanCreateSerializer, responses={201: AuthoredPlanOutputSerializer})
    def create(self, request):
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        issuer = get_object_or_404(issuers_for(user=request.user), code=fields.pop("issuer"))
        parent_key, from_parent = fields.pop("parent"), fields.pop("from_parent")
        parent = get_object_or_404(parents_for(user=request.user), key=parent_key) if parent_key else None
        if from_parent and parent is not None:
            plan = plan_draft_from_parent(by=request.user, parent=parent, issuer=issuer, **fields)
        else:
            plan = plan_draft_create(by=request.user, issuer=issuer, parent=parent, **fields)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": DocumentReadSerializer, "multipart/form-data": DocumentReadSerializer},
                   responses=DocumentReadingSerializer)
    @action(detail=False, methods=["post"], url_path="read")
    def read(self, request):
        """The document path's reading: the candidate targets and tasks of a plan's text, then those of each passage
        pointed at; nothing is written. Only someone who writes plans reads through it."""
        if not user_writes_plans(user=request.user):
            raise Http404
        data = DocumentReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        reading = document_read(text=fields.get("text", ""), upload=fields.get("file"))
        try:
            passages = [passage_checked(reading.text, passage) for passage in fields["passages"]]
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"passages": exc.messages}) from exc
        passages_read(reading, passages)
        return Response(DocumentReadingSerializer(
            {"name": reading.name, "text": reading.text, "candidates": reading.candidates}).data)

    @extend_schema(request=PlanUpdateSerializer, responses=AuthoredPlanOutputSerializer)
    def partial_update(self, request, key=None):
        data = PlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        return self._answer(plan_draft_update(by=request.user, plan=self._plan(), data=dict(data.validated_data)))

    @extend_schema(request=None, responses=AuthoredPlanOutputSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, key=None):
        plan = self._plan()
        plan_issue(by=request.user, plan=plan)
        return self._answer(plan)

    @extend_schema(request=AmendSerializer, responses=AuthoredPlanOutputSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, key=None):
        plan = self._plan()
        data = AmendSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        plan_amend(by=request.user, plan=plan, reason=data.validated_data["reason"],
                   targets=_edits(data.validated_data["targets"], Target, plan=plan, edit_class=TargetEdit),
                   tasks=_edits(data.validated_data["tasks"], PlanTask, plan=plan, edit_class=TaskEdit),
                   data=dict(data.validated_data["heading"] or {}))
        return self._answer(plan)

    @extend_schema(request=AuthoredTargetInputSerializer, responses={201: AuthoredTargetSerializer})
    @action(detail=True, methods=["post"], url_path="targets")
    def target_create(self, request, key=None):
        data = AuthoredTargetInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        target = target_save(by=request.user, plan=self._plan(), data=dict(data.validated_data))
        return Response(AuthoredTargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AuthoredTargetInputSerializer, responses=AuthoredTargetSerializer, parameters=[ITEM_ID])
    @action(detail=True, methods=["patch", "delete"], url_path=r"targets/(?P<item_id>[0-9]+)")
    def target_change(self, request, key=None, item_id=None):
        plan = self._plan()
        target = get_object_or_404(Target, pk=item_id, plan=plan)
        if request.method == "DELETE":
            target_delete(by=request.user, target=target)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = AuthoredTargetInputSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        target = target_save(by=request.user, plan=plan, target=target, data=dict(data.validated_data))
        return Response(AuthoredTargetSerializer(target).data)

    @extend_schema(request=AuthoredTaskInputSerializer, responses={201: AuthoredTaskSerializer})
    @action(detail=True, methods=["post"], url_path="tasks")
    def task_create(self, request, key=None):
        data = AuthoredTaskInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        task = task_save(by=request.user, plan=self._plan(), data=dict(data.validated_data))
        return Response(AuthoredTaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AuthoredTaskInputSerializer, responses=AuthoredTaskSerializer, parameters=[ITEM_ID])
    @action(detail=True, methods=["patch", "delete"], url_path=r"tasks/(?P<item_id>[0-9]+)")
    def task_change(self, request, key=None, item_id=None):
        plan = self._plan()
        task = get_object_or_404(PlanTask, pk=item_id, plan=plan)
        if request.method == "DELETE":
            task_delete(by=request.user, task=task)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = AuthoredTaskInputSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        task = task_save(by=request.user, plan=plan, task=task, data=dict(data.validated_data))
        return Response(AuthoredTaskSerializer(task).data)

    # ------------------------------------------------------------------------------- the working copy of an amendment

    def _amendment_answer(self, amendment, code=status.HTTP_200_OK):
        review = amendment_review(by=self.request.user, amendment=amendment)
        return Response(AmendmentOutputSerializer(review).data, status=code)

    def _amendment(self, plan):
        amendment = amendment_open_for(user=self.request.user, plan=plan)
        if amendment is None:
            raise Http404
        return amendment

    @extend_schema(methods=["GET"], request=None, responses=AmendmentOutputSerializer,
                   description="Bản điều chỉnh đang soạn của kế hoạch đã ban hành (404 nếu chưa mở).")
    @extend_schema(methods=["POST"], request=None, responses={201: AmendmentOutputSerializer},
                   description="Mở bản điều chỉnh (hoặc trả bản đang mở, dùng chung cho những người soạn kế hoạch).")
    @extend_schema(methods=["DELETE"], request=None, responses={204: None},
                   description="Hủy bản điều chỉnh đang soạn: kế hoạch giữ nguyên như đã ban hành.")
    @action(detail=True, methods=["get", "post", "delete"], url_path="amendment")
    def amendment(self, request, key=None, **kwargs):  # kwargs: the format suffix
        plan = self._plan()
        if request.method == "POST":
            return self._amendment_answer(amendment_open(by=request.user, plan=plan), status.HTTP_201_CREATED)
        amendment = self._amendment(plan)
        if request.method == "DELETE":
            amendment_discard(by=request.user, amendment=amendment)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._amendment_answer(amendment)

    @extend_schema(request=AmendmentEditsSerializer, responses=AmendmentOutputSerializer,
                   description="Ghi thêm thay đổi vào bản điều chỉnh đang soạn (mở bản mới nếu chưa có); "
                               "tất cả hoặc không.")
    @action(detail=True, methods=["post"], url_path="amendment/edits")
    def amendment_edits(self, request, key=None):
        plan = self._plan()
        data = AmendmentEditsSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            amendment = amendment_open(by=request.user, plan=plan)
            _edits_keep(by=request.user, amendment=amendment, plan=plan, heading=data.validated_data["heading"],
                        targets=data.validated_data["targets"], tasks=data.validated_data["tasks"])
        return self._amendment_answer(self._amendment(plan))

    @extend_schema(request=ApplySerializer, responses=AuthoredPlanOutputSerializer,
                   description="Áp dụng bản điều chỉnh với một lý do: một phiên bản mới.")
    @action(detail=True, methods=["post"], url_path="amendment/apply")
    def amendment_apply(self, request, key=None):
        plan = self._plan()
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        amendment_apply(by=request.user, amendment=self._amendment(plan), reason=data.validated_data["reason"])
        return self._answer(plan)
