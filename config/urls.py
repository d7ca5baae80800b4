from allauth.account.decorators import secure_admin_login
from allauth.account.views import login as allauth_login
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.login_limits import login_attempts_limited
from core.tokens import api_tokens
from portal.views import home

# The admin's own login form would skip allauth's rate limits and second step: send it through allauth.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home, name="home"),
    path("accounts/tokens/", api_tokens, name="api_tokens"),
    # The same allauth page, counted per address first (core.login_limits); listed before allauth's own.
    path("accounts/login/", login_attempts_limited(allauth_login)),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # The export pages keep the addresses they had under /reports/.
    path("reports/exports/", include("exports.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("compliance.urls")),
    path("notifications/", include("notifications.urls")),
    path("tasks/", include("tasks.urls")),
    path("plans/", include("authoring.urls_values")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Open to every signed-in user (SPECTACULAR_SETTINGS); someone signed out is sent to the login page first.
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

# Vietnamese error pages (templates/400.html … 500.html); allauth's login limits answer through handler429 too.
handler429 = "core.views.too_many_requests"
