# Two commands: `make run` (embedded, nothing to install) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
# The PostgreSQL pass of `make test` uses this server when it answers.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv keys migrate demo static assets up worker beat web bench bench-append clean wilayah

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py create_databases
	$(PY) manage.py migrate_all -v 0

demo: migrate
	$(PY) manage.py load_demo

# var/keys.env (mode 0600): egov's four secrets, generated once; never overwritten.
keys: venv
	$(PY) manage.py generate_keys --if-missing

# Static files (admin, API docs, portal) gathered for WhiteNoise, which serves them in every mode.
static: venv
	$(PY) manage.py collectstatic --noinput -v 0

# The design system (docs/architecture.md, "Design system"): frontend/egov.scss, GOV.UK
# Frontend under egov's brand, compiled by the pinned sass into egov/portal/static/egov/egov.css.
# That file is committed, so `make run` needs no node; run this after changing the SCSS or the
# npm pins. No govuk-frontend script or image is copied: the portal needs none (its one script
# is egov/portal.js) and GOV.UK's images are the crown and crest.
assets:
	test -x node_modules/.bin/sass || npm ci --no-audit --no-fund
	npx --no-install sass --no-source-map --style=compressed --load-path=node_modules \
		frontend/egov.scss egov/portal/static/egov/egov.css

run: keys demo static
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	POSTGRES_URL=$(POSTGRES_URL) scripts/test.sh

# The real stack: PostgreSQL per context, Redis, Celery workers (one per queue group: ktp, izin,
# pajak, bansos, and audit+notifikasi+bus+egov) and beat, gunicorn; /metrics from 127.0.0.1.
# Secrets: var/keys.env, generated if missing, unless they are set in the environment (NAME or
# NAME_FILE, which egov reads before the keys file). Demo data (with the superuser admin/admin)
# only with `make up DEMO=1`.
SECRETS_FROM_ENV := $${SECRET_KEY}$${SECRET_KEY_FILE}$${PERSONAL_DATA_MASTER_KEY}$${PERSONAL_DATA_MASTER_KEY_FILE}$${PSEUDONYM_KEY}$${PSEUDONYM_KEY_FILE}$${AUDIT_SIGNING_KEY}$${AUDIT_SIGNING_KEY_FILE}
up: venv
	@if [ -n "$(SECRETS_FROM_ENV)" ]; then \
		echo "secrets: from the environment"; else $(PY) manage.py generate_keys --if-missing; fi
	POSTGRES_URL=$(POSTGRES_URL) CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
		$(MAKE) $(if $(filter 1,$(DEMO)),demo,migrate) static
	rm -rf var/prometheus && mkdir -p var/prometheus  # metrics of this run's processes only
	POSTGRES_URL=$(POSTGRES_URL) CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
		CACHE_URL=$${CACHE_URL:-redis://127.0.0.1:6379/1} \
		NATS_URL=$${NATS_URL:-nats://127.0.0.1:4222} \
		PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/var/prometheus \
		METRICS_ALLOWED_NETWORKS=$${METRICS_ALLOWED_NETWORKS:-127.0.0.1/32} \
		$(VENV)/bin/honcho start --port $(PORT)  # web (first in Procfile) on $(PORT), as the README says

# The Kemendagri region table egov reads (egov/data/wilayah-<version>.json.gz), rebuilt from the
# pinned npm package idn-area-data (ODbL: the attribution travels in the snapshot). Commit the
# result; steps in docs/operator-guide.md ("Updating the region table").
wilayah:
	test -d node_modules/idn-area-data || npm ci --no-audit --no-fund
	python3 scripts/import_wilayah.py

bench: venv bench-append
	POSTGRES_URL=$(POSTGRES_URL) $(PY) bench/append.py
	POSTGRES_URL=$(POSTGRES_URL) $(PY) bench/pajak_dasbor.py
	POSTGRES_URL=$(POSTGRES_URL) $(PY) bench/ktp_rebuild.py

# egov's append path beside raw psycopg and the eventsourcing library (installed by the script
# into var/bench-venv, never into the project's requirements).
bench-append: venv
	POSTGRES_URL=$(POSTGRES_URL) $(PY) bench/append_vs_eventsourcing.py

clean:
	rm -rf var/*.sqlite3*
