# Pantau: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-long lint bench loadtest install clean plotly-bundle

INSTALL_LOG := var/pip-install.log

# pip's output goes to $(INSTALL_LOG); the console gets one line, or the log's tail when pip fails.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@mkdir -p var && $(BIN)/pip install --quiet --upgrade pip > $(INSTALL_LOG) 2>&1 \
	  || { tail -n 30 $(INSTALL_LOG); echo "pip failed: see $(INSTALL_LOG)"; exit 1; }

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Pantau and its dependencies (pip; output in $(INSTALL_LOG))…"
	@mkdir -p var && $(BIN)/pip install --quiet --config-settings editable_mode=compat -e ".[test]" \
	  >> $(INSTALL_LOG) 2>&1 || { tail -n 30 $(INSTALL_LOG); echo "pip failed: see $(INSTALL_LOG)"; exit 1; }
	@touch $(STAMP)
	@echo "✓ Installed"

install: $(STAMP)

run: $(STAMP)
	@$(BIN)/pantau run

# Two processes (pytest-xdist): a module's tests stay together, the network-namespace tests share one worker.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The long runs: every hypothesis property at 2,000 random examples (PANTAU_HYPOTHESIS_EXAMPLES to change) and the
# exhaustive ones marked `slow`, which `make test` skips (saying so); hours, not minutes.
test-long: $(STAMP)
	PANTAU_HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The import contract (pyproject.toml [tool.importlinter], docs/architecture.md) and ruff's rules.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/pantau bench

# 50 users of every role replaying recorded page loads and callbacks against `pantau serve` (2 workers) on
# loopback, on PostgreSQL with the Redis result cache; seeds the large demo into an empty store. Reports
# p50/p95/p99, errors and worker RSS (var/loadtest/report.json). See docs/deployment.md, "Load test".
LOADTEST_DATABASE ?= postgresql+psycopg://postgres@127.0.0.1:5432/pantau_load
LOADTEST_REDIS    ?= redis://127.0.0.1:6379/0
LOADTEST_ARGS     ?= --users 50 --seconds 180 --workers 2
loadtest: $(STAMP)
	$(BIN)/pip install --quiet --config-settings editable_mode=compat -e ".[test,load]"
	PANTAU_DATABASE_URL=$(LOADTEST_DATABASE) PANTAU_REDIS_URL=$(LOADTEST_REDIS) PANTAU_DATA_DIR=var/loadtest \
		$(BIN)/python -m app.bench.loadtest $(LOADTEST_ARGS)

# The partial plotly.js bundle the pages load (assets/04-plotly.min.js), rebuilt from frontend/plotly (npm, node).
plotly-bundle:
	cd frontend/plotly && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf $(VENV) *.egg-info
