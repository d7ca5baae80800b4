"""Production: PostgreSQL, Redis and a real secret are required; HTTPS only, behind the proxy in deploy/."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY, env

DEBUG = False

# Without these the base settings fall back to SQLite and an in-process cache: fine on a laptop, but in
# production that would mean a second, empty database and per-worker rate limits. Refuse instead.
for _name in ("DATABASE_URL", "REDIS_URL"):
    if not env(_name, default="").strip():
        raise ImproperlyConfigured(f"{_name} must be set in production.")
if not env("DATABASE_URL").startswith(("postgres://", "postgresql://", "pgsql://", "postgis://")):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")

# Values that appear in the repository or in examples are known to anyone who reads them.
_KNOWN_SECRETS = {
    "change-me-to-a-long-random-string",
    "local-development-key-not-for-production",
    "test-key-not-for-production",
    "build-only",
}
_PLACEHOLDER_WORDS = ("change-me", "changeme", "replace-me", "your-secret", "secret-key", "example", "insecure")


def _secret_key_problem(key: str) -> str | None:
    if not key:
        return "DJANGO_SECRET_KEY must be set in production."
    lowered = key.lower()
    if key in _KNOWN_SECRETS or any(word in lowered for word in _PLACEHOLDER_WORDS):
        return "DJANGO_SECRET_KEY is a placeholder; generate a random one (see README, Deployment)."
    # The same bar as Django's own deploy check (security.W009): long and not made of a few characters.
    if len(key) < 50 or len(set(key)) < 5:
        return "DJANGO_SECRET_KEY must be at least 50 random characters."
    return None


_problem = _secret_key_problem(SECRET_KEY)
if _problem:
    raise ImproperlyConfigured(_problem)

# nginx (deploy/nginx.conf) terminates TLS and appends the client to X-Forwarded-For; the count says how many
# proxies of ours stand in front, so the login limits count the real client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Both toggles exist for plain-HTTP runs on loopback (the load benchmark); a deployment leaves them on.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Joining the browsers' preload list is hard to undo, so it is the operator's explicit choice.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# Links in e-mails point at the site itself: the address given, or else the first allowed host over HTTPS.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="") or f"https://{ALLOWED_HOSTS[0]}"
