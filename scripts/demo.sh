#!/usr/bin/env bash
# Sets up everything, loads the demo content and serves the site on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export DJANGO_SETTINGS_MODULE=config.settings.dev
ADDRESS="${DEMO_ADDRESS:-127.0.0.1:8000}"
echo "Preparing the database and the static files..."
.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
# An empty search index first, so that saving the demo content does not warn that the index
# was created empty (load_demo rebuilds it from the database at the end anyway).
.venv/bin/python manage.py rebuild_modelsearch_index --verbosity 0 >/dev/null
# The demo's own notices (forum referrals, approvals) are not printed: nobody reads them.
output=$(EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend .venv/bin/python manage.py load_demo)
echo "$output"
echo
echo "The site is at http://${ADDRESS}/ (editing at http://${ADDRESS}/admin/)."
accounts=$(printf '%s\n' "$output" | sed -n '/^Demo accounts/,/^People:/p' | sed '$d')
if [ -n "$accounts" ]; then
  echo "$accounts"
else
  echo "The demo accounts exist already: their passwords were shown on the first run (or set DEMO_PASSWORD and reset the database)."
fi
echo "Try first: sign in as ruth.ellis@sussex.police.uk, open the Library, and compare the two versions of the Pan-Sussex MoU."
echo "Ctrl+C stops the site."
exec .venv/bin/python manage.py runserver "$ADDRESS"
