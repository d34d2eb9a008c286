from django.core.management.base import BaseCommand, CommandError

from khuang.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "API tokens: `token create USERNAME [--label TEXT]` prints a new bearer token."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--label", default="")

    def handle(self, *args, action: str, username: str, label: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        _, raw = ApiToken.issue(user, label)
        self.stdout.write(raw)
