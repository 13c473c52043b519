from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "digisnap.rights"
    label = "rights"

    def ready(self) -> None:
        from digisnap.rights import receivers  # noqa: F401 (connects the ACM/IDM sync)
