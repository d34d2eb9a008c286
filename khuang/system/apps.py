from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "khuang.system"
    label = "system"
    verbose_name = "Khuang system"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
