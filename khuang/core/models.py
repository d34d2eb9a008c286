"""Shared base model and the audit trail every app writes to."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change to one object: who, when, what, from which state to which, and why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.action}"


def log_action(
    obj: models.Model,
    action: str,
    *,
    actor: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record a change; call inside the same transaction as the change itself."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
    )


def log_actions(objs: list[models.Model], action: str, *, actor: Any = None, data: dict[str, Any] | None = None,
                ) -> None:
    """Record the same change to many objects in one insert (imports); call inside their transaction."""
    who = actor if getattr(actor, "is_authenticated", False) else None
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=who, object_type=o._meta.label_lower, object_id=o.pk, action=action, data=data or {})
        for o in objs
    )


def audit_trail(obj: models.Model):
    """The audit entries of one object, oldest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk).select_related(
        "actor"
    )


class ActivityType(models.TextChoices):
    """The kinds of activity the center hosts; the same words in the diary, the plan and the reports."""

    SEMINAR = "seminar", _("Seminar")
    TRAINING = "training", _("Training")
    CONFERENCE = "conference", _("Conference")
    EXHIBITION = "exhibition", _("Exhibition")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    STUDY_VISIT = "study_visit", _("Study visit")
    RECREATION = "recreation", _("Recreation")
    ESPORTS = "esports", _("E-sports")
    FESTIVAL = "festival", _("Festival")
    OTHER = "other", _("Other")
