# Backprop from Scratch. Quick start: `make` (set up, generate, grade the examples), `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
# nbgrader runs `alembic` from its own environment: its bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
export MPLBACKEND ?= Agg

CHAPTERS = $(notdir $(wildcard source/[0-9]*))
STAMP    = $(VENV)/.installed

.PHONY: all setup release examples autograde report grade test test-fast lint format normalize lab clean lock

all: report

setup: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# build matplotlib's font cache once, not inside the first graded notebook
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $@

# Student versions of every chapter (committed; tests/test_release.py checks they are current).
release: $(STAMP)
	for chapter in $(CHAPTERS); do \
	  nbgrader generate_assignment $$chapter --force --log-level=WARN || exit 1; \
	done
	$(BIN)/python -m autograder normalize

examples: release
	$(BIN)/python -m autograder examples

autograde: examples
	for chapter in $(CHAPTERS); do \
	  nbgrader autograde $$chapter --force --log-level=ERROR || exit 1; \
	done

report: autograde
	nbgrader export --log-level=WARN
	$(BIN)/python -m autograder report

# A class: collect, autograde on every core, feedback, export, summary; rerun to resume
# (docs/scaling.md). make grade CHAPTERS=01_dense_layers GRADE_ARGS="--zip x.zip --roster r.csv"
grade: $(STAMP)
	$(BIN)/python -m autograder grade $(CHAPTERS) $(GRADE_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

normalize: $(STAMP)
	$(BIN)/python -m autograder normalize

# JupyterLab on the course, as an instructor (the repo root on PYTHONPATH for hidden tests).
# No MPLBACKEND: the Agg exported above would reach the kernels, and plots would not show.
lab: $(STAMP)
	env -u MPLBACKEND PYTHONPATH=$(CURDIR) $(BIN)/jupyter lab --notebook-dir=$(CURDIR)

# Re-pin the whole dependency tree after changing requirements.txt.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.txt
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf submitted autograded feedback gradebook.db grades.csv .grading
