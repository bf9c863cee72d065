#!/usr/bin/env bash
# A Celery worker for a queue set named with "-" (systemd instance names allow no comma):
#   deploy/worker.sh default-notifications-billing
set -euo pipefail
cd "$(dirname "$0")/.."
queues="${1:?name the queues, e.g. default-notifications-billing}"
exec "${PARKOPS_VENV:-.venv}/bin/celery" -A parkops worker \
  --queues "${queues//-/,}" \
  --hostname "${queues}@%h" \
  --concurrency "${CELERY_CONCURRENCY:-2}" \
  --without-gossip --without-mingle \
  --loglevel "${CELERY_LOG_LEVEL:-info}"
