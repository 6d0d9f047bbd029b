# Two commands for a newcomer: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test fuzz lint test-sqlite test-postgres services browser fonts clean

$(RUN_STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null || \
	  $(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

$(DEV_STAMP): $(RUN_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(RUN_STAMP)
	-@bash scripts/fonts.sh
	$(BIN)/otklik migrate --noinput -v0
	$(BIN)/otklik demo load
	@$(BIN)/otklik demo logins
	@echo "Отклик: http://127.0.0.1:8000  (Ctrl-C — остановить)"
	OTKLIK_REQUIRE_2FA=$${OTKLIK_REQUIRE_2FA:-0} $(BIN)/otklik run --sandbox

services:
	@bash scripts/services.sh

browser:
	@bash scripts/browser.sh

# DejaVu Sans (and Pango) for the PDF and DOCX reports: Debian's fonts-dejavu-core when missing.
fonts:
	@bash scripts/fonts.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy otklik config bench
	$(BIN)/lint-imports

test: $(DEV_STAMP) services browser fonts lint
	$(BIN)/pytest -q -p no:randomly -n 2 --dist loadfile
	@if bash scripts/services.sh --check-postgres; then \
	  echo "== PostgreSQL: the database tests again on $(PG_TEST_URL)"; \
	  DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -n 2 --dist loadfile -m "not browser" otklik tests \
	    --ignore=otklik/texts --ignore=otklik/worktime --ignore=tests/faults && \
	  echo "== PostgreSQL: the fault tests, alone (their timings must not share the machine)" && \
	  DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q -p no:randomly tests/faults; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL pass"; fi

# The generated-input tests (Hypothesis, schemathesis) run longer than in `make test`:
# OTKLIK_FUZZ_EXAMPLES per property, OTKLIK_FUZZ_API_EXAMPLES per API operation; seeds fixed.
fuzz: $(DEV_STAMP) services
	OTKLIK_FUZZ_EXAMPLES=$${OTKLIK_FUZZ_EXAMPLES:-1000} OTKLIK_FUZZ_API_EXAMPLES=$${OTKLIK_FUZZ_API_EXAMPLES:-200} \
	  $(BIN)/pytest -q -p no:randomly -m fuzz -s

clean:
	rm -rf $(VENV) var build *.egg-info
