# The two commands of README.md: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/atvida_social
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

# `make test` runs the suite in two passes (tests/tools/check_passes.py shows that together
# they run every test): on PostgreSQL and Redis, the production shape, every test but those
# that concern only the embedded default; then on SQLite, with the file broker, the tests
# marked `embedded` and those with a branch per database (`each_database`). Without a
# reachable PostgreSQL and Redis the whole suite runs on SQLite instead, with a message;
# SERVICES=required (CI) makes that an error.
PG_PASS := not embedded
EMBEDDED_PASS := embedded or each_database
# Both passes run in two processes (pytest-xdist), each with its own test database and its own
# keys on Redis (atvida_social/settings_test.py); PYTEST_WORKERS=0 runs them in one.
PYTEST_WORKERS ?= 2
SERVICES ?= optional
SERVICES_UP = $(BIN)/python -c 'import sys, psycopg2, redis; \
	psycopg2.connect(sys.argv[1], dbname="postgres", connect_timeout=3).close(); \
	redis.Redis.from_url(sys.argv[2], socket_connect_timeout=3).ping()' \
	"$(PG_TEST_URL)" "$(REDIS_TEST_URL)" 2>/dev/null
SQLITE = env -u DATABASE_URL -u CELERY_BROKER_URL -u REDIS_URL

.PHONY: run test lint check-passes pytest test-services test-embedded test-packages

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Atvida Social kräver Python 3.11 eller senare.")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# The demo platform (moderation/platforms/simulator/) answers for every platform; an empty
# value (`make run PLATFORM_SIMULATOR_URL=`) leaves the channels unconnected.
PLATFORM_SIMULATOR_URL ?= http://127.0.0.1:8765

run: export PLATFORM_SIMULATOR_URL := $(PLATFORM_SIMULATOR_URL)
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Atvida Social körs på http://127.0.0.1:8000 med en bakgrundsarbetare och schemaläggare (avsluta med Ctrl+C)"
	@if [ -n "$(PLATFORM_SIMULATOR_URL)" ]; then echo "Demoplattformen (simulatorn) svarar på $(PLATFORM_SIMULATOR_URL) i stället för de riktiga plattformarna"; fi
	$(BIN)/python manage.py runall 127.0.0.1:8000

test: $(STAMP) test-packages lint check-passes pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

check-passes: $(STAMP)
	@$(BIN)/python tests/tools/check_passes.py "$(PG_PASS)" "$(EMBEDDED_PASS)"

pytest: $(STAMP)
	@if $(SERVICES_UP); then \
		$(MAKE) --no-print-directory test-services test-embedded; \
	elif [ "$(SERVICES)" = required ]; then \
		echo "PostgreSQL ($(PG_TEST_URL)) eller Redis ($(REDIS_TEST_URL)) nås inte."; exit 1; \
	else \
		echo "PostgreSQL ($(PG_TEST_URL)) eller Redis ($(REDIS_TEST_URL)) nås inte:"; \
		echo "hela sviten körs på SQLite, och testerna som behöver dem hoppas över."; \
		$(SQLITE) $(BIN)/pytest -n $(PYTEST_WORKERS); \
	fi

# The PostgreSQL pass: the production shape, with real workers on Redis.
test-services: $(STAMP)
	DATABASE_URL=$(PG_TEST_URL) CELERY_BROKER_URL=$(REDIS_TEST_URL) \
		$(BIN)/pytest --create-db -n $(PYTEST_WORKERS) -m "$(PG_PASS)"

# The SQLite pass: the embedded default of `make run`.
test-embedded: $(STAMP)
	$(SQLITE) $(BIN)/pytest -n $(PYTEST_WORKERS) -m "$(EMBEDDED_PASS)"

# Debian's chromium for the browser tests and wrk for the register benchmark, where this
# machine lets us install them; otherwise the tests that need them are skipped with a reason.
test-packages:
	@missing=""; [ -x "$(CHROMIUM)" ] || missing="chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installerar Debians $$missing för testerna..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
			|| echo "$$missing kunde inte installeras: testerna som behöver dem hoppas över."; \
	else echo "$$missing saknas och kan inte installeras här: testerna som behöver dem hoppas över."; fi
