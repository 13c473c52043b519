from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "digisnap.learning"
    label = "learning"
