from rest_framework.routers import DefaultRouter

from compliance.apis import ComplianceViewSet, ReportingViewSet
from plans.apis import PlanTaskViewSet, PlanViewSet
from reports.apis import ReportViewSet
from targets.apis import IndicatorViewSet, TargetViewSet
from units.apis import UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("plans", PlanViewSet, basename="plan")
router.register("tasks", PlanTaskViewSet, basename="task")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("reports", ReportViewSet, basename="report")
router.register("compliance", ComplianceViewSet, basename="compliance")
router.register("reporting", ReportingViewSet, basename="reporting")

urlpatterns = router.urls
