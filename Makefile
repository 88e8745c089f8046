# Two commands: `make lab` opens the course, `make test` runs every check.
# Both create or refresh the virtual environment in .venv from the project files first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab refuses to run as root unless told; students never run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab present test lint format bench screenshots clean venv

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Opens on notebook 00 (the course map). The project's JupyterLab settings turn off the
# "official Jupyter news?" pop-up and update checks: nothing covers the panels.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(LAB_SETTINGS): share/jupyter/lab/settings/overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp $< $@

lab: $(STAMP) $(LAB_SETTINGS)
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.news_url= \
		--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		notebooks/00_start_here.ipynb

# The presenter view: the course in Voila for a 1920x1080 projector (voila.py: lab-only
# cells left out, projector sizes). ITP_VIEW=laptop make present for laptop sizes.
present: $(STAMP)
	$(BIN)/voila notebooks --Voila.ip=127.0.0.1 --theme=light

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

# axe-core, the accessibility checker the browser tests inject into every page (npm).
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: lint $(AXE)
	MPLBACKEND=Agg $(BIN)/python -m pytest --doctest-modules helpers tests --ignore=tests/browser
	$(BIN)/python -m pytest tests/browser
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env notebooks/

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

screenshots: $(STAMP)
	$(BIN)/python -m tests.browser.gallery

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_panels.py
	$(BIN)/python benchmarks/bench_catheter.py
	$(BIN)/python benchmarks/bench_spine.py
	$(BIN)/python benchmarks/bench_programs.py
	$(BIN)/python benchmarks/bench_journey.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
