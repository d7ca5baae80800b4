from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production")
# Serve static files from the apps directly; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# On a developer's machine the demo logins work without an authenticator app; production requires it
# of reviewers and admins (base.py). Set PORTAL_MFA_REQUIRED_ROLES=reviewer,admin to try it here.
PORTAL_MFA_REQUIRED_ROLES = env.list("PORTAL_MFA_REQUIRED_ROLES", default=[])
