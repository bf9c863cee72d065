#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database named by DATABASE_URL.
#
#   scripts/restore.sh parkops-<timestamp>.dump [parkops-<timestamp>-media.tar.gz]
#
# The database must exist and should be empty (create it with createdb); objects in the dump
# replace any of the same name. Media files are unpacked into MEDIA_ROOT.
set -euo pipefail
dump=${1:?usage: scripts/restore.sh DUMP [MEDIA_TARBALL]}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
pg_restore --clean --if-exists --no-owner --exit-on-error --dbname "$DATABASE_URL" "$dump"
if [ -n "${2:-}" ]; then
  media=${MEDIA_ROOT:-$(dirname "$0")/../var/media}
  mkdir -p "$media"
  tar -xzf "$2" -C "$media"
fi
echo "restored $dump"
