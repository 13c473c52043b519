from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "digisnap.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from digisnap.reports import menu  # noqa: F401 — connects the sign-in signal
