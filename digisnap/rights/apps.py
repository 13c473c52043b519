from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "digisnap.rights"
    label = "rights"
