# Every target sets up .venv on first use, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONTENT ?= content

.PHONY: epub pdf test lint typecheck format clean bench fuzz

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

epub: $(STAMP)
	$(BIN)/publish epub $(CONTENT)

pdf: $(STAMP)
	$(BIN)/publish pdf $(CONTENT)

lint: $(STAMP)
	$(BIN)/ruff check publish tests
	$(BIN)/ruff format --check publish tests
	$(BIN)/mypy publish tests

format: $(STAMP)
	$(BIN)/ruff format publish tests
	$(BIN)/ruff check --fix publish tests

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Timings against pandoc and WeasyPrint (not part of `make test`). BENCH_SIZES=10,100,1000
# adds the 1,000-post blog (many minutes). Writes benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Long runs of the fuzzing and property-based tests (a short smoke run is in `make test`):
# thousands of mutated exports per importer, and many arbitrary post and comment bodies.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	PUBLISH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PUBLISH_PROPERTY_EXAMPLES=$(FUZZ_EXAMPLES) \
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -p no:cacheprovider \
		tests/test_fuzz_importers.py tests/test_property_bodies.py
