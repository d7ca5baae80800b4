from django.urls import re_path
from drf_spectacular.utils import extend_schema
from rest_framework.routers import DefaultRouter

from authoring.apis import AuthoredPlanViewSet
from compliance.apis import ComplianceViewSet, ReportingViewSet
from core.apis import ApiNotFound
from notifications.apis import NotificationViewSet
from reports.apis import ReportViewSet
from targets.apis import IndicatorViewSet, TargetViewSet
from tasks.apis import TaskViewSet
from units.apis import UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("plans", AuthoredPlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("reports", ReportViewSet, basename="report")
router.register("compliance", ComplianceViewSet, basename="compliance")
router.register("reporting", ReportingViewSet, basename="reporting")
router.register("notifications", NotificationViewSet, basename="notification")

# Last, so a path no route matches (e.g. "/reports/1.5/approve/") answers the API's JSON 404; only paths
# ending in "/", so that "/units" is still redirected to "/units/" by APPEND_SLASH.
urlpatterns = [*router.urls, re_path(r"^(?P<path>.*/)$", extend_schema(exclude=True)(ApiNotFound).as_view())]
