"""Deployment checks of our own (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def email_configured(app_configs, **kwargs) -> list[Warning]:
    """Production mail must go out through SMTP; files under var/mail are a stopgap."""
    if settings.DEBUG or settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
        return []
    return [Warning("E-mail is not sent: it is written to files (or the console).",
                    hint="Set EMAIL_URL=smtp://user:password@host:587/?tls=1", id="khuang.W001")]
