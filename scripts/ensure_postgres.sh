#!/usr/bin/env bash
# Starts the local PostgreSQL cluster if it is installed but not answering.
set -euo pipefail
host=${PGHOST:-127.0.0.1}
if pg_isready -q -h "$host" 2>/dev/null; then
    exit 0
fi
if command -v pg_ctlcluster > /dev/null; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
for _ in $(seq 1 30); do
    pg_isready -q -h "$host" && exit 0
    sleep 1
done
echo "PostgreSQL is not answering on $host:5432" >&2
exit 1
