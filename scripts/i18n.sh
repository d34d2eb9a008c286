#!/usr/bin/env bash
# Refresh every app's Thai catalogue from the code and compile it (needs GNU gettext).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings PYTHONPATH="$PWD"
for app in khuang/*/; do
  [ -f "$app/apps.py" ] || continue
  mkdir -p "$app/locale"
  (cd "$app" && "$OLDPWD/.venv/bin/django-admin" makemessages -l th --no-obsolete --no-location >/dev/null)
done
.venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
echo "catalogues refreshed"
