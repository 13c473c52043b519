from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "digisnap.accounts"
    label = "accounts"
