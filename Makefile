# filmcrawl: the two commands a fresh clone needs (Python 3.11+ and make only).
#   make crawl   install, serve the bundled sample site on 127.0.0.1, crawl it into films.db
#   make test    install the test tools and run lint, type checks, the test suite and the
#                extraction quality gate
#   make redteam install the test tools and re-run every red-team finding's regression
#                test (issue 17: robots.txt, SSRF, bad input files, signals, output safety)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test

.PHONY: crawl test lint typecheck pytest eval redteam bench fuzz install install-test clean

crawl: $(INSTALLED)
	$(BIN)/filmcrawl crawl --db films.db
	@echo 'Next, in this shell: . $(VENV)/bin/activate   (puts filmcrawl, sqlite-utils and datasette on PATH)'

test: $(TEST_INSTALLED) lint typecheck pytest eval

lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(TEST_INSTALLED)
	$(BIN)/mypy

pytest: $(TEST_INSTALLED)
	$(BIN)/python -m pytest

eval: $(TEST_INSTALLED)
	$(BIN)/filmcrawl eval tests/golden --min-f1 0.9

# The red-team findings of issue 17, end to end (they also run in `make test`).
redteam: $(TEST_INSTALLED)
	$(BIN)/python -m pytest -m redteam -q

# Property tests with fresh random examples (the suite itself is derandomized).
fuzz: $(TEST_INSTALLED)
	FILMCRAWL_HYPOTHESIS=explore $(BIN)/python -m pytest -m "not slow" -k "never or idempotent or stable or round or property or arbitrary or hypothesis" -q

bench: $(TEST_INSTALLED)
	$(BIN)/python benchmarks/throughput.py

install: $(INSTALLED)
install-test: $(TEST_INSTALLED)

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "filmcrawl needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# With Datasette: the README's next steps use it.
$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[datasette]'
	touch $@

$(TEST_INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(INSTALLED)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
