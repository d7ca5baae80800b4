from import_export import fields, widgets

from core.resources import AuditedResource, CodeWidget
from plans.models import Plan
from targets.models import Indicator, IndicatorGroup, Target


class IndicatorResource(AuditedResource):
    group = fields.Field(attribute="group", column_name="group",
                         widget=CodeWidget(IndicatorGroup, field="code"))
    audit_fields = ("name", "group", "measure", "flow", "rollup", "unit_threshold",
                    "numerator_label", "denominator_label", "description", "is_active")

    class Meta:
        model = Indicator
        import_id_fields = ["code"]
        fields = ["code", "name", "group", "measure", "flow", "rollup", "unit_threshold",
                  "numerator_label", "denominator_label", "description", "is_active"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class TargetResource(AuditedResource):
    plan = fields.Field(attribute="plan", column_name="plan", widget=CodeWidget(Plan, field="key"))
    indicator = fields.Field(attribute="indicator", column_name="indicator",
                             widget=CodeWidget(Indicator, field="code"))
    applies_to_kinds = fields.Field(attribute="applies_to_kinds", column_name="applies_to_kinds",
                                    widget=widgets.JSONWidget())
    audit_fields = ("indicator", "comparator", "value", "value_max", "due_kind", "due_on", "applies_to_kinds",
                    "clause", "ref", "conflict", "conflict_status")

    class Meta:
        model = Target
        import_id_fields = ["plan", "position"]
        fields = ["plan", "position", "indicator", "comparator", "value", "value_max", "due_kind", "due_on",
                  "applies_to_kinds", "clause", "ref", "conflict", "conflict_status"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
