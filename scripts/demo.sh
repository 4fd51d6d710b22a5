#!/usr/bin/env bash
# Sets up everything, loads the demo content and serves the site on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export DJANGO_SETTINGS_MODULE=config.settings.dev
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/python manage.py load_demo
echo
echo "The site is at http://127.0.0.1:8000/ (editing at http://127.0.0.1:8000/admin/). Ctrl+C stops it."
exec .venv/bin/python manage.py runserver "${DEMO_ADDRESS:-127.0.0.1:8000}"
