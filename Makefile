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
	$(BIN)/python benchmarks/components.py --shared $(SHARED)
	$(BIN)/python benchmarks/corpus_bench.py --shared $(SHARED) --subset 40 --scales 1,4,16 --out benchmarks/results/corpus.json
	$(BIN)/python benchmarks/extractors.py --shared $(SHARED)
	$(BIN)/python benchmarks/api_latency.py

clean:
	rm -rf $(VENV) *.duckdb build dist

# Bounded coverage-guided fuzzing of the input readers (atheris; without it, random
# mutation), then 20 s of random splicing, which finds other things than libFuzzer does.
# Findings land in tests/fuzz_regressions/, which the normal suite replays.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz: install
	$(BIN)/python -c "import atheris" 2>/dev/null || $(BIN)/python -m pip install -q atheris==2.3.0 \
		|| echo "atheris unavailable: falling back to random mutation"
	$(BIN)/python fuzz/fuzz_readers.py --seconds $(FUZZ_SECONDS)
	$(BIN)/python fuzz/fuzz_readers.py --random --seconds 20
