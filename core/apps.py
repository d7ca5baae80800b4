from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Audit and shared services")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from core.middleware import user_logged_out_note
        from core.session_idle import session_seen_stamp

        user_logged_out.connect(user_logged_out_note, dispatch_uid="core.last_user_marker")
        user_logged_in.connect(session_seen_stamp, dispatch_uid="core.session_seen_stamp")
