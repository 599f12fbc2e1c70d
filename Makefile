# Two entry points (see README.md): `make all` builds, validates and benchmarks; `make test` runs the checks.
VENV   := .venv
PY     := $(VENV)/bin/python
KHABAR := $(VENV)/bin/khabar
STAMP  := $(VENV)/.installed
export HF_DATASETS_OFFLINE := 1
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1

.PHONY: all test setup lint goldlint browser labelstudio

# The real-news track's text is not in the repository: it is hydrated from the public Wikinews file when a copy
# is at REAL_SOURCE (CI has one in ../shared); otherwise one line says how to get it.
REAL_SOURCE ?= ../shared/reference/wikinews/WikiNewsReference.txt

all: $(STAMP)
	$(KHABAR) gold lint
	$(KHABAR) release build
	$(KHABAR) validate
	@if [ -f "$(REAL_SOURCE)" ]; then $(KHABAR) hydrate --source "$(REAL_SOURCE)"; \
	else echo "real track: not hydrated ($(REAL_SOURCE) is absent): fetch WikiNewsTruth.txt from the GitHub repository kdarwish/Farasa, then run: make all REAL_SOURCE=WikiNewsTruth.txt"; fi
	$(KHABAR) train --system entities-gazetteer
	$(KHABAR) train --system entities-crf
	$(KHABAR) benchmark

test: $(STAMP) lint goldlint browser labelstudio
	$(PY) -m pytest

# Label Studio in a virtualenv of its own: it pins Django, pyarrow < 25 and label-studio-sdk 2.1.2, none of
# which should share an environment with Khabar. The tests start and stop it themselves.
LS_VENV := .venv-ls
labelstudio: $(LS_VENV)/.installed

$(LS_VENV)/.installed:
	test -x $(LS_VENV)/bin/python || python3 -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LS_VENV)/bin/python -m pip install --quiet "label-studio==1.23.2"
	touch $@

# Debian's Chromium for the real-browser tests (Playwright drives it; it downloads no browser of its own).
browser:
	bash scripts/install-browser.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# The gold must pass every rule check of GUIDELINES.md (N16, E8, E12, N18, S1, S2) before a release.
goldlint: $(STAMP)
	$(KHABAR) gold lint

setup: $(STAMP)

# Re-installs when pyproject.toml changes; creates the virtualenv when it is missing.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)
