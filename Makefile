# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format migrate demo worker ci clean audit backup restore bench-load messages messages-extract

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Links printed by the demo point at the port the server listens on.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py make_invitation_link
	@echo "EDN is serving the demo network at http://127.0.0.1:$(PORT)/ (admin: /admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(BIN)/.installed
	$(BIN)/python manage.py migrate --noinput

demo: $(BIN)/.installed
	$(BIN)/python manage.py load_demo --reset

worker: $(BIN)/.installed
	$(BIN)/celery -A edn worker --loglevel=INFO

# 200 respondents against gunicorn, PostgreSQL, Redis and a worker on this
# machine (bench/load_survey.py); needs the services CI uses.
bench-load: $(BIN)/.installed
	$(BIN)/python -m bench.load_survey

# Back up the embedded default (db.sqlite3 and media/), safe while it runs;
# restore with `make restore FILE=backups/edn-YYYYmmdd-HHMMSS.tar.gz`, which
# keeps the current database as db.sqlite3.before-restore-<time>.
# PostgreSQL sites use pg_dump and pg_restore (README, "Backups").
BACKUP_DIR ?= backups

backup:
	$(BIN)/python manage.py backup_data --output-dir "$(BACKUP_DIR)"

restore:
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/edn-YYYYmmdd-HHMMSS.tar.gz"; exit 2; }
	$(BIN)/python manage.py restore_data "$(FILE)"
	$(BIN)/python manage.py migrate --noinput

# The Spanish catalogue (needs gettext): collect every marked string into
# locale/es/LC_MESSAGES/django.po, translate the new ones there, then compile.
# tests/edn/test_spanish_catalogue.py fails while any string is untranslated.
messages-extract: $(BIN)/.installed
	$(BIN)/python manage.py makemessages -l es --no-obsolete \
		-i '.venv/*' -i 'bench/*' -i 'tests/*' -i 'static/*' -i 'staticfiles/*'

messages: messages-extract
	$(BIN)/python manage.py compilemessages -l es -i '.venv' -i 'staticfiles'

# Known vulnerabilities in the pinned dependencies (pip-audit). Fails on a
# vulnerability and also when some packages could not be audited (service
# down); the last line says which. The script's own status tells them apart.
audit: $(BIN)/.installed
	$(BIN)/python scripts/audit_dependencies.py

# What CI runs: lint, SQLite, then PostgreSQL + Redis + a real worker + Chromium.
ci:
	bash .ci/run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
