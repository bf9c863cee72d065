#!/usr/bin/env bash
# One release, in order: install the pinned requirements, migrate, sync the periodic jobs, collect
# static files, compile the translations, write the nginx site, then restart the processes.
#   sudo -u parkops deploy/release.sh /etc/parkops/parkops.env
# With PARKOPS_NO_RESTART=1 (the smoke run) it stops before restarting anything.
set -euo pipefail
cd "$(dirname "$0")/.."
env_file="${1:-/etc/parkops/parkops.env}"
set -a; source "$env_file"; set +a
venv="${PARKOPS_VENV:-.venv}"

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
"$venv/bin/python" manage.py migrate --noinput
"$venv/bin/python" manage.py schedules_sync
"$venv/bin/python" manage.py collectstatic --noinput --verbosity 0
for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done

site="${PARKOPS_NGINX_SITE:-/etc/nginx/sites-enabled/parkops.conf}"
envsubst '${PARKOPS_LISTEN} ${PARKOPS_SERVER_NAME} ${PARKOPS_UPSTREAM} ${PARKOPS_NGINX_TLS} ${STATIC_ROOT} ${MEDIA_ROOT} ${PARKOPS_MAX_UPLOAD_MB}' \
  < deploy/nginx/parkops.conf > "$site"

if [ "${PARKOPS_NO_RESTART:-0}" != "1" ]; then
  nginx -t && systemctl reload nginx
  systemctl restart parkops-web 'parkops-worker@*' parkops-beat
fi
echo "release: done"
