#!/usr/bin/env bash
# Installs everything the project needs into .venv from the pinned lock file (and Chromium for
# the browser tests). Safe to run again: it only reinstalls when the lock file has changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
LOCK=requirements/dev.lock

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
PY

if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv"
    "$PYTHON" -m venv .venv
fi

stamp=.venv/.installed-lock
wanted=$(sha256sum "$LOCK" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing the pinned dependencies from $LOCK"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$LOCK"
    echo "$wanted" > "$stamp"
fi

mkdir -p var
