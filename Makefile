# The two commands: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BENCH  := .venv-bench
SIZE   ?= 100k
MAP    ?= china-telecom-map.html

.PHONY: run test lint bench notebooks clean help

help:
	@echo "make run        install, build the store, ask the headline question, write a map"
	@echo "make test       install with the test extras and run the whole test suite"
	@echo "make lint       ruff"
	@echo "make bench      benchmarks (SIZE=10k|100k|1m)"
	@echo "make notebooks  open the notebooks in Jupyter"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# `make run` installs the package as a user would (not editable); `make test` installs it
# editable with the test extras. Each stamp says which install the venv holds now.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[server]"
	@rm -f $(VENV)/.installed-test
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-run
	@touch $@

run: $(VENV)/.installed-run
	$(BIN)/carrierkg stats
	$(BIN)/carrierkg ask "who partners with China Telecom"
	$(BIN)/carrierkg map --focus "China Telecom" --depth 2 --output $(MAP)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# The benchmarks run carrierkg as users install it: not editable, bytecode compiled by pip,
# in a venv of its own (reinstalled each time, so that it runs the code as it is now).
$(BENCH)/bin/python:
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet --upgrade pip

bench: $(BENCH)/bin/python
	$(BENCH)/bin/python -m pip install --quiet ".[fast]"
	$(BENCH)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	$(BENCH)/bin/python -m benchmarks --size $(SIZE)

notebooks: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) $(BENCH) build *.egg-info .pytest_cache .ruff_cache
