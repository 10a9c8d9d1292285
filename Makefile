# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/atvida_social
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint pytest test-services chromium

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Atvida Social kräver Python 3.11 eller senare.")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Atvida Social körs på http://127.0.0.1:8000 med en bakgrundsarbetare och schemaläggare (avsluta med Ctrl+C)"
	$(BIN)/python manage.py runall 127.0.0.1:8000

test: $(STAMP) chromium lint pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest

# The same suite on the real PostgreSQL and Redis (CI's second pass).
test-services: $(STAMP)
	DATABASE_URL=$(PG_TEST_URL) CELERY_BROKER_URL=$(REDIS_TEST_URL) $(BIN)/pytest --create-db

# Debian's chromium for the browser tests, where this machine lets us install it;
# otherwise the e2e tests are skipped with a visible reason.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installerar Debians chromium för webbläsartesterna..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
			|| echo "chromium kunde inte installeras: webbläsartesterna hoppas över."; \
	else echo "chromium saknas och kan inte installeras här: webbläsartesterna hoppas över."; fi
