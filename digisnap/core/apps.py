from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digisnap.core"
    label = "core"
