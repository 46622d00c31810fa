# summary-coverage: `make app` opens the dashboard, `make test` runs the suite.
# Both create .venv/ and install everything on a fresh clone.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
PORT ?= 8501
export HF_HUB_OFFLINE ?= 1
export PYTHONSAFEPATH := 1

.PHONY: install app test lint bench thresholds clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# torch==2.13.0 first: the exact pin picks the local CPU build. A looser
# requirement would pull several GB of CUDA packages.
$(STAMP): $(PY) pyproject.toml $(wildcard coverage/*.py)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e ".[docs-input,app,dev]" --config-settings editable_mode=strict
	touch $(STAMP)

install: $(STAMP)

app: install
	$(VENV)/bin/streamlit run streamlit_app.py --server.port $(PORT) --server.headless true

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check coverage tests benchmarks streamlit_app.py
	$(VENV)/bin/ruff format --check coverage tests benchmarks streamlit_app.py
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/bench_check.py

thresholds: install
	$(PY) benchmarks/thresholds.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
