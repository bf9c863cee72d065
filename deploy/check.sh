#!/usr/bin/env bash
# make deploy-check: the whole production stack on this machine, started from the deploy/ files —
# release.sh on a fresh database, gunicorn (gunicorn.conf.py), two Celery workers on different
# queues (worker.sh), the beat, nginx (nginx/parkops.conf) on a local port — then deploy/smoke.py
# through nginx, then everything it started is stopped. Needs DATABASE_URL and REDIS_URL (the
# machine's PostgreSQL and Redis); run as root, nginx reads the files as root.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?deploy-check needs DATABASE_URL (a PostgreSQL server)}"
: "${REDIS_URL:?deploy-check needs REDIS_URL}"

work="$(mktemp -d /tmp/parkops-deploy-check.XXXXXX)"
pids=()
stop() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" != "1" ]; then rm -rf "$work"; else echo "deploy-check: logs kept in $work"; fi
}
trap stop EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
web_port="$(free_port)"; nginx_port="$(free_port)"
database="parkops_deploy_check"
server="${DATABASE_URL%/*}"
redis="${REDIS_URL%/*}/13"
psql "$server/postgres" -q -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
redis-cli -u "$redis" flushdb > /dev/null
password="deploy-check-$(date +%s)"

# The environment file as shipped, then what differs on this machine (later lines win).
cp deploy/parkops.env.example "$work/parkops.env"
cat >> "$work/parkops.env" <<ENV
DEBUG=0
SECRET_KEY=deploy-check-$(python3 -c 'import secrets; print(secrets.token_hex(32))')
DATABASE_URL=$server/$database
REDIS_URL=$redis
ALLOWED_HOSTS=127.0.0.1
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$nginx_port
PARKOPS_BASE_URL=http://127.0.0.1:$nginx_port
SECURE_SSL_REDIRECT=0
SECURE_HSTS_SECONDS=0
SESSION_COOKIE_SECURE=0
CSRF_COOKIE_SECURE=0
STATIC_ROOT=$work/static
MEDIA_ROOT=$work/media
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
GUNICORN_BIND=127.0.0.1:$web_port
GUNICORN_WORKERS=2
GUNICORN_ACCESS_LOG=$work/access.log
CELERY_CONCURRENCY=1
PARKOPS_LISTEN=127.0.0.1:$nginx_port
PARKOPS_SERVER_NAME=127.0.0.1
PARKOPS_UPSTREAM=127.0.0.1:$web_port
PARKOPS_NGINX_TLS=$PWD/deploy/nginx/plain.conf
PARKOPS_NGINX_SITE=$work/site.conf
PARKOPS_NO_RESTART=1
DEMO_PASSWORD=$password
ENV

echo "deploy-check: release"
deploy/release.sh "$work/parkops.env"
set -a; source "$work/parkops.env"; set +a
.venv/bin/python manage.py seed_demo > "$work/seed.log"

echo "deploy-check: starting gunicorn, two workers, the beat and nginx"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py parkops.wsgi > "$work/gunicorn.log" 2>&1 & pids+=($!)
deploy/worker.sh default-notifications-billing > "$work/worker-1.log" 2>&1 & pids+=($!)
deploy/worker.sh reports > "$work/worker-2.log" 2>&1 & pids+=($!)
.venv/bin/celery -A parkops beat --loglevel=warning --pidfile= > "$work/beat.log" 2>&1 & pids+=($!)
mkdir -p "$work/nginx-temp"
cat > "$work/nginx.conf" <<NGINX
user root;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log $work/nginx-access.log;
    client_body_temp_path $work/nginx-temp/body;
    proxy_temp_path $work/nginx-temp/proxy;
    fastcgi_temp_path $work/nginx-temp/fastcgi;
    uwsgi_temp_path $work/nginx-temp/uwsgi;
    scgi_temp_path $work/nginx-temp/scgi;
    include $work/site.conf;
}
NGINX
nginx -t -q -p "$work" -c "$work/nginx.conf"
nginx -p "$work" -c "$work/nginx.conf"

for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$nginx_port/healthz/" > /dev/null 2>&1 && break
  sleep 1
done

echo "deploy-check: checks through nginx at http://127.0.0.1:$nginx_port"
.venv/bin/python deploy/smoke.py "http://127.0.0.1:$nginx_port" "$password" || {
  echo "--- gunicorn"; tail -30 "$work/gunicorn.log"; echo "--- reports worker"; tail -30 "$work/worker-2.log"
  echo "--- nginx"; tail -30 "$work/nginx-error.log"; exit 1; }
