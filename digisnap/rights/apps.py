from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "digisnap.rights"
    label = "rights"
    verbose_name = _("Rights")

    def ready(self) -> None:
        from digisnap.rights import receivers  # noqa: F401 (connects the ACM/IDM sync)
