from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from authoring.signals import plan_issued, unit_values_changed
        from compliance.receivers import (
            apply_change_after_commit,
            recompute_issued_plan_months_after_commit,
            recompute_plan_months_after_commit,
        )
        from compliance.rendering import scorecard_change_note
        from compliance.signals import results_changed_in_place
        from reports.signals import approved_figures_changed

        approved_figures_changed.connect(apply_change_after_commit, dispatch_uid="compliance-apply-change")
        unit_values_changed.connect(recompute_plan_months_after_commit, dispatch_uid="compliance-unit-values")
        plan_issued.connect(recompute_issued_plan_months_after_commit, dispatch_uid="compliance-recompute-plan-months")
        results_changed_in_place.connect(scorecard_change_note, dispatch_uid="compliance-scorecard-change-note")
