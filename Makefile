# TM Hub: `make run` serves a demo at http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
DEV_ENV := DEBUG=1 SECURE_HTTPS=0
# `make run` answers as production does (DEBUG off: the site's own 404 and 500 pages in the
# visitor's language, never Django's debug page with its URL list), over plain HTTP on this
# machine, with the development keys DEBUG=1 falls back to (the seed encrypted the demo's ID
# numbers with that TALENT_ID_KEY), mail on the console, and static files read from the app and
# node_modules folders (TMHUB_PLAIN_STATIC; runserver --insecure serves them with DEBUG off).
DEMO_ENV := DEBUG=0 SECURE_HTTPS=0 ALLOWED_HOSTS=127.0.0.1,localhost TMHUB_PLAIN_STATIC=1 \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
	SECRET_KEY=development-only-insecure-key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \
	TALENT_ID_KEY=development-only-talent-id-key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx

.PHONY: run serve test install install-dev assets messages migrate seed lint test-sqlite test-postgres browser fonts messages-extract bench bench-tools clean

$(VENV)/.installed: requirements.txt requirements-matching.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed messages
install-dev: $(VENV)/.installed-dev node_modules/.installed messages

assets: node_modules/.installed

messages: $(VENV)/.installed
	$(PY) -m tmhub.core.i18n_tools compile

# Re-extract strings after changing code or templates (needs gettext's xgettext); -P keeps an
# app's own modules (transfer/selectors.py) from shadowing the standard library.
messages-extract:
	cd tmhub && for app in core accounts orgs talent training transfer matching; do \
	  (cd $$app && PYTHONPATH=$(CURDIR) $(DEV_ENV) $(CURDIR)/$(PY) -P $(CURDIR)/manage.py \
	    makemessages -l zh_Hans -l en --no-obsolete -i 'engine/*' >/dev/null); done

migrate: install
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

run: seed fonts
	@echo "TM Hub at http://127.0.0.1:$(PORT)  (demo users in README.md)"
	$(DEMO_ENV) $(PY) manage.py runserver --insecure 127.0.0.1:$(PORT)

# The production stack on this machine (README, Deployment): preflight of the five variables
# and the services, migrate, collectstatic, then gunicorn + Celery worker + beat; Ctrl-C stops.
serve: install fonts
	PORT=$(PORT) $(PY) -m tmhub.serve

# Debian packages: a CJK font for PDFs (run and test); chromium for the Playwright tests (never a
# downloaded browser), gettext's xgettext for the translation-coverage test, poppler to read PDFs.
APT_INSTALL = SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  ($$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq || true) && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install \
	    -y -qq --no-install-recommends
FONT_FILE := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

fonts:
	@test -f $(FONT_FILE) || { $(APT_INSTALL) fonts-wqy-zenhei >/dev/null; }

browser: fonts
	@command -v chromium >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 \
	  && command -v pdftoppm >/dev/null 2>&1 || { $(APT_INSTALL) chromium gettext poppler-utils >/dev/null; }

lint: install-dev
	$(VENV)/bin/ruff check .
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  TALENT_ID_KEY=check-deploy-id-$$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=tmhub.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: install-dev browser
	$(PY) -m pytest -q -p no:cacheprovider --durations=15

# Redis database 12 for this suite's Celery test, so it can run beside the SQLite suite (db 15).
test-postgres: install-dev browser
	DATABASE_URL=$(PG_TEST_URL) TEST_REDIS_URL=redis://127.0.0.1:6379/12 \
	  $(PY) -m pytest -q -p no:cacheprovider --durations=15 -m "not browser and not fuzz"

# The two suites run side by side (one per core); each one's output is printed whole when it ends.
test: lint
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

# Debian's wrk: a C load generator for bench/bench_load.py (it leaves the cores to the server).
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { $(APT_INSTALL) wrk >/dev/null; }

bench: install-dev bench-tools
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules staticfiles var/tmhub.sqlite3 var/tmhub.sqlite3-wal var/tmhub.sqlite3-shm
