from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khuang.accounts import services
from khuang.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "API tokens. `token create USERNAME [--label TEXT] [--days N]` prints a new bearer token (shown once); "
        "`token list [USERNAME]` lists tokens by prefix; `token revoke PREFIX|ID` deletes one."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("target", nargs="?", default="",
                            help="create: the user; list: optionally one user; revoke: the token's prefix or id")
        parser.add_argument("--label", default="")
        parser.add_argument("--days", type=int, default=None, help="create: the token expires after N days")

    def handle(self, *args, action: str, target: str, label: str, days: int | None, **options):
        if action == "create":
            self._create(target, label, days)
        elif action == "list":
            self._list(target)
        else:
            self._revoke(target)

    def _create(self, username: str, label: str, days: int | None) -> None:
        user = User.objects.filter(username=username).first() if username else None
        if user is None:
            raise CommandError(f"No user named {username!r}")
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days must be 1 to 3660")
        expires = timezone.now() + timedelta(days=days) if days else None
        _, raw = ApiToken.issue(user, label, expires_at=expires)
        self.stdout.write(raw)

    def _list(self, username: str) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user__username=username)
        self.stdout.write("id\tprefix\tuser\tlabel\tcreated\tlast used\texpires")
        for t in tokens:
            expires = "never" if t.expires_at is None else _stamp(t.expires_at) + (" (expired)" if t.is_expired
                                                                                 else "")
            self.stdout.write("\t".join([str(t.pk), t.prefix, t.user.username, t.label or "-", _stamp(t.created_at),
                                         _stamp(t.last_used_at) if t.last_used_at else "never", expires]))

    def _revoke(self, key: str) -> None:
        try:
            token = services.token_revoke(key)
        except services.TokenNotFound as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Revoked {token.prefix}… of {token.user.username}")


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
