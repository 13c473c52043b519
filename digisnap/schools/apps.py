from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "digisnap.schools"
    label = "schools"
