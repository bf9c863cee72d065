#!/usr/bin/env bash
# Back up the ParkOps database and uploaded/generated files.
#
#   scripts/backup.sh DIRECTORY                (DATABASE_URL and MEDIA_ROOT from the environment)
#
# Writes DIRECTORY/parkops-<timestamp>.dump (pg_dump custom format) and
# DIRECTORY/parkops-<timestamp>-media.tar.gz, and prints their names.
set -euo pipefail
target=${1:?usage: scripts/backup.sh DIRECTORY}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
media=${MEDIA_ROOT:-$(dirname "$0")/../var/media}
stamp=$(date +%Y%m%d-%H%M%S)
mkdir -p "$target"
pg_dump --format=custom --no-owner --file "$target/parkops-$stamp.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar -czf "$target/parkops-$stamp-media.tar.gz" -C "$media" .
fi
echo "$target/parkops-$stamp.dump"
[ -d "$media" ] && echo "$target/parkops-$stamp-media.tar.gz"
exit 0
