from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "digisnap.reports"
    label = "reports"

    def ready(self) -> None:
        from digisnap.reports import menu  # noqa: F401 — connects the sign-in signal
