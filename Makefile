# Pantau: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install clean

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

# The import contract (pyproject.toml [tool.importlinter], docs/architecture.md) and ruff's rules.
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/pantau bench

clean:
	rm -rf $(VENV) *.egg-info
