# Two entry points (see README.md): `make all` builds, validates and benchmarks; `make test` runs the checks.
VENV   := .venv
PY     := $(VENV)/bin/python
KHABAR := $(VENV)/bin/khabar
STAMP  := $(VENV)/.installed
export HF_DATASETS_OFFLINE := 1
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1

.PHONY: all test setup lint browser

all: $(STAMP)
	$(KHABAR) release build
	$(KHABAR) validate
	$(KHABAR) benchmark

test: $(STAMP) lint browser
	$(PY) -m pytest

# Debian's Chromium for the real-browser tests (Playwright drives it; it downloads no browser of its own).
browser:
	bash scripts/install-browser.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .

setup: $(STAMP)

# Re-installs when pyproject.toml changes; creates the virtualenv when it is missing.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)
