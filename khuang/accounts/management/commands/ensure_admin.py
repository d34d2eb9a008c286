import os
import secrets

from django.core.management.base import BaseCommand

from khuang.accounts.models import User


class Command(BaseCommand):
    help = "Ensures a staff user `admin` (password from KHUANG_ADMIN_PASSWORD, else generated and printed once)."

    def handle(self, *args, **options):
        user = User.objects.filter(username="admin").first()
        password = os.environ.get("KHUANG_ADMIN_PASSWORD")
        if user is not None:
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])
            self.stdout.write("Staff user 'admin' exists.")
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            "admin", "admin@localhost", password, role=User.Role.CENTER_STAFF
        )
        if generated:
            self.stdout.write(self.style.WARNING(f"Created staff user 'admin' with password: {password}"))
            self.stdout.write("(shown once; set KHUANG_ADMIN_PASSWORD to choose it)")
        else:
            self.stdout.write("Created staff user 'admin'.")
