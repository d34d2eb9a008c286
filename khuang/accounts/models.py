"""Agencies (clients and plan partners), people, their roles and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuang.core.i18n import pick
from khuang.core.models import TimeStampedModel

from . import roles


class Agency(TimeStampedModel):
    """An organisation that plans or books: ministry unit, provincial office, chamber, organiser, community."""

    class Kind(models.TextChoices):
        MINISTRY_UNIT = "ministry_unit", _("Ministry unit")
        PROVINCIAL_OFFICE = "provincial_office", _("Provincial office")
        CHAMBER = "chamber", _("Chamber of commerce")
        PRIVATE_ORGANISER = "private_organiser", _("Private organiser")
        COMMUNITY_GROUP = "community_group", _("Community group")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    province = models.CharField(_("province"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return pick(self.name_th, self.name_en)


class User(AbstractUser):
    """A person; belongs to at most one agency and has one role in Khuang."""

    class Role(models.TextChoices):
        CENTER_STAFF = "center_staff", _("Center staff")
        AGENCY_PLANNER = "agency_planner", _("Agency planner")
        VIEWER = "viewer", _("Agency viewer")
        EXECUTIVE = "executive", _("Executive viewer")
        FINANCE_OFFICER = "finance_officer", _("Finance officer")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    def can(self, ability) -> bool:
        """True if this person's role carries `ability` (see `accounts.roles`)."""
        return roles.has(self, ability)

    @property
    def is_center_staff(self) -> bool:
        """Center staff (or a superuser) manage the inventory, confirm bookings and run the optimizer."""
        return roles.has(self, roles.Ability.MANAGE_CENTER)

    @property
    def is_planner(self) -> bool:
        return self.is_authenticated and self.role == self.Role.AGENCY_PLANNER


class ApiToken(TimeStampedModel):
    """A bearer token for scripts; only its SHA-256 digest is stored. It may expire; revoking deletes it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    label = models.CharField(_("label"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True,
                                      help_text=_("Empty: the token never expires."))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # A token row always holds a real digest: an empty or hand-typed one can never authenticate.
            models.CheckConstraint(condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"), name="api_token_digest_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        """A fresh raw token (shown once, never stored)."""
        return "kh_" + secrets.token_urlsafe(32)

    def set_secret(self, raw: str) -> None:
        """Store the digest and the display prefix of a raw token."""
        self.digest, self.prefix = self.hash(raw), raw[:8]

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @classmethod
    def issue(cls, user: User, label: str = "", expires_at=None) -> tuple["ApiToken", str]:
        """Create a token and return it with the raw secret, which is shown once and never stored."""
        raw = cls.new_secret()
        token = cls(user=user, label=label, expires_at=expires_at)
        token.set_secret(raw)
        token.save()
        return token, raw
