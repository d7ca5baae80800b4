from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = "test-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process in tests; the one test of the real broker path starts its own worker.
CELERY_TASK_ALWAYS_EAGER = True
TEST_REQUIRE_SERVICES = env.bool("CI", default=False)
# Serve static files from the apps directly; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Most tests log people in with force_login; the MFA tests switch the rule on themselves.
PORTAL_MFA_REQUIRED_ROLES = []
