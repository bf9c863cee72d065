# ParkOps: `make demo` sets everything up and serves the demo; `make test` sets up and runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs on one pytest-xdist worker per core, then the tests marked serial (they stop Redis
# and restart PostgreSQL) run alone; each part leaves its JUnit report in var/.
PYTEST_WORKERS ?= auto

# WeasyPrint needs Pango and HarfBuzz's subsetter; Noto CJK (with a real bold) keeps Chinese out of
# empty boxes; gettext compiles the translations; poppler-utils lets tests read the PDFs back.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext poppler-utils
# The browser tests drive Debian's Chromium; nothing downloads a browser of its own.
TEST_SYSTEM_PACKAGES := chromium libreoffice-calc-nogui nginx-light
# The load benchmark drives the app with wrk.
BENCH_SYSTEM_PACKAGES := wrk nginx-light
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/parkops_bench

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Local development runs with DEBUG on unless told otherwise; production sets its own environment.
export DEBUG ?= 1

.PHONY: demo test check deploy-check bench setup system-packages migrate serve messages makemessages clean

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py figures_freeze
	@$(MAKE) --no-print-directory serve

test: SYSTEM_PACKAGES += $(TEST_SYSTEM_PACKAGES)
test: setup
	@status=0; ran=0; \
	for part in parallel serial; do \
	  if [ $$part = parallel ]; then options='-n $(PYTEST_WORKERS) -m "not serial"'; else options="-m serial"; fi; \
	  eval $(BIN)/python -m pytest $$options --junitxml=var/junit-$$part.xml $(PYTEST_ARGS); code=$$?; \
	  if [ $$code = 0 ]; then ran=1; elif [ $$code != 5 ]; then status=$$code; fi; \
	done; \
	if [ $$status = 0 ] && [ $$ran = 0 ]; then echo "make test: no test ran"; status=5; fi; \
	exit $$status

# Static checks (CI runs them after the tests): lint and format, the import layers, migrations that
# match the models, and translation catalogues that compile. Each failing check fails the target.
check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	@for po in $(PO_FILES); do echo "msgfmt --check $$po"; msgfmt --check -o /dev/null $$po || exit 1; done

# The production stack from deploy/ on this machine (nginx, gunicorn, two workers, beat), checked
# through nginx, then stopped (deploy/check.sh). Needs DATABASE_URL and REDIS_URL; .ci/run runs it.
deploy-check: SYSTEM_PACKAGES += nginx-light
deploy-check: setup
	deploy/check.sh

# Benchmarks (not CI): figures go to bench/RESULTS.md by hand, with the machine they ran on.
bench: SYSTEM_PACKAGES += $(BENCH_SYSTEM_PACKAGES)
bench: setup
	$(BIN)/python bench/reports.py --scales 1,10,50 --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python bench/month_end.py --scales 1,10,50 --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python bench/load.py --database-url $(BENCH_DATABASE_URL)

setup: system-packages $(VENV)/.installed messages var

system-packages:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
	    install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "Missing system packages:$$missing"; \
	  echo "Install them, then run make again:  sudo apt-get install -y --no-install-recommends$$missing"; \
	  exit 1; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	@touch $@

messages: $(MO_FILES)

%.mo: %.po
	msgfmt --check -o $@ $<

makemessages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench

var:
	mkdir -p var

# Migrations, then the periodic jobs declared in parkops/schedules.py written into the beat tables.
migrate: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py schedules_sync

serve:
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	if [ -n "$$REDIS_URL" ]; then \
	  echo "Starting a Celery worker with the beat scheduler on $$REDIS_URL"; \
	  $(BIN)/celery -A parkops worker --beat --loglevel=info --concurrency=2 & \
	else \
	  echo "REDIS_URL is not set: Celery runs tasks eagerly inside the web process."; \
	fi; \
	echo "Serving ParkOps at http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

clean:
	rm -rf $(VENV) var $(MO_FILES)
