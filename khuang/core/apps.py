from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "khuang.core"
    label = "core"
    verbose_name = "Khuang core"
