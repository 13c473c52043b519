from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "digisnap.questionnaires"
    label = "questionnaires"
