from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class CoreConfig(AppConfig):
    default = True  # the other configs below are for third-party apps named in INSTALLED_APPS
    name = "khuang.core"
    label = "core"
    verbose_name = "Khuang core"

    def ready(self) -> None:
        from django.contrib import admin

        # The admin speaks the page's language and names the product, not the framework.
        admin.site.site_header = _("Khuang administration")
        admin.site.site_title = _("Khuang administration")
        admin.site.index_title = _("Data administration")


class TasksConfig(TasksAppConfig):
    """The task worker's tables, named in the visitor's language in the admin (the package's name is fixed
    English)."""

    verbose_name = _("Background tasks")


class AxesConfig(AxesAppConfig):
    """Sign-in throttling, named in the visitor's language in the admin."""

    verbose_name = _("Sign-in attempts")
