# Backprop from Scratch. Quick start: `make` (set up, generate, grade the examples in a scratch
# course), `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
# nbgrader runs `alembic` from its own environment: its bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
export MPLBACKEND ?= Agg

CHAPTERS = $(notdir $(wildcard source/[0-9]*))
STAMP    = $(VENV)/.installed
# The demo's scratch course (git-ignored): the example students never enter the class's
# gradebook, submitted/ or grades.csv. `make release` keeps its gradebook there too, so that
# only chapters an instructor assigns reach the class's gradebook.
DEMO     := $(CURDIR)/.demo
IN_DEMO  := --CourseDirectory.root=$(DEMO) --CourseDirectory.db_url=sqlite:///$(DEMO)/gradebook.db

.PHONY: all demo setup release examples autograde report grade test test-fast lint format normalize lab clean lock

all: demo

demo: report

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
	mkdir -p $(DEMO)
	for chapter in $(CHAPTERS); do \
	  nbgrader generate_assignment $$chapter --force --log-level=WARN \
	    --CourseDirectory.db_url=sqlite:///$(DEMO)/release.db || exit 1; \
	done
	$(BIN)/python -m autograder normalize

# The demo: every chapter released, submitted by the example students and autograded, in
# $(DEMO) (its own source/ link, release/, submitted/, autograded/, gradebook.db, grades.csv).
examples: release
	rm -rf $(DEMO)/source $(DEMO)/release $(DEMO)/submitted $(DEMO)/autograded $(DEMO)/gradebook.db
	ln -s $(CURDIR)/source $(DEMO)/source
	for chapter in $(CHAPTERS); do \
	  nbgrader generate_assignment $$chapter --force --log-level=WARN $(IN_DEMO) || exit 1; \
	done
	$(BIN)/python -m autograder examples --course $(DEMO)

autograde: examples
	for chapter in $(CHAPTERS); do \
	  nbgrader autograde $$chapter --force --log-level=ERROR $(IN_DEMO) || exit 1; \
	done

report: autograde
	nbgrader export --log-level=WARN $(IN_DEMO) --to=$(DEMO)/grades.csv
	$(BIN)/python -m autograder report --course $(DEMO)

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
	rm -rf submitted autograded feedback gradebook.db grades.csv .grading $(DEMO)
