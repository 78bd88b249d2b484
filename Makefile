# `make demo` and `make test` each set everything up on a fresh machine (Python 3.11 and make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp
# Debian packages the tests and reports need: Chromium for browser tests, CJK fonts for PDF and
# screenshots, poppler for reading PDFs back, PostgreSQL for the second database backend, smali (the Android
# tool chain's DEX assembler) for the DEX reader's differential tests.
APT_PACKAGES := chromium fonts-noto-cjk poppler-utils postgresql libsmali-java
PYTEST_ARGS ?=

.PHONY: setup system-deps demo test lint typecheck unit bench fuzz clean

setup: $(STAMP) $(SYSTEM_STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

$(SYSTEM_STAMP):
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	test -f /usr/share/java/smali.jar || missing="$$missing libsmali-java"; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing >/dev/null; \
	fi
	@mkdir -p $(VENV) && touch $(SYSTEM_STAMP)

demo: setup
	$(BIN)/csmguard demo

lint: setup
	$(BIN)/ruff check src tests bench

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q -n 2 $(PYTEST_ARGS)

test: lint typecheck unit

bench: setup
	$(BIN)/python -m bench

# The fuzz harnesses with many random examples each (FUZZ_EXAMPLES, default 5000); CI runs them short and
# derandomised as part of `make unit`. A failure prints the input: add it to the harness as an @example.
# Then coverage-guided fuzzing with atheris (the `fuzz` extra), FUZZ_SECONDS (default 60) per reader.
FUZZ_SECONDS ?= 60
ATHERIS_TARGETS := axml dex plist hcl yaml iac-json mdm-json html
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:randomly tests/fuzz tests/scanners/app/test_readers_fuzz.py \
	  tests/scanners/iac/export/test_export_fuzz.py \
	  tests/scanning/test_budget.py $(PYTEST_ARGS)
	$(BIN)/python -m pip install -q -e '.[fuzz]'
	mkdir -p .fuzz-artifacts
	for target in $(ATHERIS_TARGETS); do \
	  $(BIN)/python -m tests.fuzz.atheris_main $$target -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=.fuzz-artifacts/$$target- || exit 1; \
	done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build src/*.egg-info
