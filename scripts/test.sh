#!/usr/bin/env bash
# Runs the whole test suite (unit, integration and browser tests). DATABASE_URL chooses the
# database, as for the site: unset means SQLite; postgres://... runs it on PostgreSQL, where
# pytest-django creates (and afterwards drops) a fresh test database.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/ensure_chromium.sh
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
    scripts/ensure_postgres.sh
fi
exec .venv/bin/pytest --create-db -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
