from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "digisnap.reports"
    label = "reports"
