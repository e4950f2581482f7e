# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= newswire.duckdb
SHARED ?= ../shared

.PHONY: install demo test lint bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[serve,spark,dev]"
	touch $@

demo: install
	$(BIN)/newswire run examples/ --db $(DB) --published 2026-11-20
	$(BIN)/newswire show --latest --db $(DB)

lint: install
	$(BIN)/ruff check src tests benchmarks

test: lint
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/throughput.py --shared $(SHARED)
	$(BIN)/python benchmarks/corpus_bench.py --shared $(SHARED) --subset 40 --scales 1,4,16 --out benchmarks/results/corpus.json
	$(BIN)/python benchmarks/extractors.py --shared $(SHARED)
	$(BIN)/python benchmarks/api_latency.py

clean:
	rm -rf $(VENV) *.duckdb build dist
