#!/usr/bin/env bash
# Runs the whole test suite (unit, integration and browser tests). DATABASE_URL chooses the
# database, as for the site: unset means SQLite; postgres://... runs it on PostgreSQL, where
# pytest-django creates (and afterwards drops) a fresh test database.
#
# The browser and migration tests run in a second pass: they use live servers or change the
# schema, outside a transaction, and empty the database afterwards; they must not run before
# tests that expect the migrated data. Tests in tests/transactional run last, alone.
# Arguments go to both passes (e.g. -x); to run chosen tests, call .venv/bin/pytest directly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/ensure_chromium.sh
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
    scripts/ensure_postgres.sh
fi
workers=${TEST_WORKERS:-2}
status=0
# One migrated database, copied by every test process of every pass (migrating from nothing
# costs each process about 30 seconds of CPU): scripts/test_template.py, config/settings/test.py.
scratch=$(mktemp -d)
TEST_DATABASE_TEMPLATE=""
# Set before the template is made: the scratch folder goes whatever happens (a template that
# failed to migrate is dropped by test_template.py itself).
trap '[[ -n "$TEST_DATABASE_TEMPLATE" ]] && .venv/bin/python scripts/test_template.py drop "$TEST_DATABASE_TEMPLATE"; rm -rf "$scratch"' EXIT
TEST_DATABASE_TEMPLATE=$(.venv/bin/python scripts/test_template.py make "$scratch")
export TEST_DATABASE_TEMPLATE
.venv/bin/pytest --create-db -n "$workers" --dist loadfile --ignore=tests/browser --ignore=tests/migrations --ignore=tests/transactional "$@" || status=$?
.venv/bin/pytest --create-db -n "$workers" --dist loadfile tests/migrations tests/browser "$@" || status=$((status ? status : $?))
# Last, alone: tests committing from several connections at once, after which the database is
# emptied with nothing left to run on it.
.venv/bin/pytest --create-db -p no:xdist tests/transactional "$@" || status=$((status ? status : $?))
exit "$status"
