# One-command dev loop. `make demo` and `make test` set everything up themselves.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
SERVE ?= 1

.PHONY: setup demo serve test pytest lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "error: $(PY) not found; install Python 3.11 or run make PY=python3"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_DIR)/exports $(DEMO_DIR)/home $(DEMO_DIR)/netweave.db $(DEMO_DIR)/netweave.db-wal $(DEMO_DIR)/netweave.db-shm
	$(BIN)/netweave demo-data $(DEMO_DIR)/exports
	@set -e; nw="env NETWEAVE_HOME=$(DEMO_DIR)/home $(BIN)/netweave --db $(DEMO_DIR)/netweave.db"; \
	$$nw config set owner.name "Mia Okafor"; \
	$$nw config set owner.handles "@miaokafor, miaokafor@hachyderm.io, miaokafor.bsky.social"; \
	$$nw config set owner.domains "miaokafor.example"; \
	$$nw config set owner.emails "mia.okafor@example.com"; \
	$$nw config set topics.expertise "python packaging, accessibility, community building"; \
	$$nw config set topics.interests "improv, running, social media strategy"; \
	$$nw config set time.timezone "America/Chicago"; \
	$$nw import $(DEMO_DIR)/exports; \
	$$nw info; \
	echo "try: NETWEAVE_HOME=$(DEMO_DIR)/home $(BIN)/netweave --db $(DEMO_DIR)/netweave.db help-requests"
	@if [ "$(SERVE)" = "0" ]; then echo "web UI: make serve (prints the address to open and the token to log in with)"; \
	else $(MAKE) --no-print-directory serve; fi

serve: $(STAMP)
	@test -f $(DEMO_DIR)/netweave.db || { echo "no demo database yet: run make demo first"; exit 1; }
	NETWEAVE_HOME=$(DEMO_DIR)/home $(BIN)/netweave --db $(DEMO_DIR)/netweave.db serve

test: $(STAMP) lint pytest

pytest: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
