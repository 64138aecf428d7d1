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
# A student's environment (requirements/student.txt and the course wheel, no nbgrader): the
# browser tests compare its JupyterLab with the instructor's.
STUDENT_VENV  ?= .venv-student
STUDENT_STAMP  = $(STUDENT_VENV)/.installed
WHEEL_STAMP    = dist/.wheel
# e.g. make test PYTEST_ARGS="-m browser"
PYTEST_ARGS ?=
# The demo's scratch course (git-ignored): the example students never enter the class's
# gradebook, submitted/ or grades.csv. `make release` keeps its gradebook there too, so that
# only chapters an instructor assigns reach the class's gradebook.
DEMO     := $(CURDIR)/.demo
IN_DEMO  := --CourseDirectory.root=$(DEMO) --CourseDirectory.db_url=sqlite:///$(DEMO)/gradebook.db

.PHONY: all demo setup release examples autograde report grade test system-deps grading-deps \
	student-venv wheel student-bundle lint format normalize lab clean lock

all: demo

demo: report

setup: $(STAMP)

# Everything (student, grader and developer sets) from the lock, every file checked by hash.
$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	# build matplotlib's font cache once, not inside the first graded notebook
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $@

# Student versions of every chapter (committed; tests/test_notebooks.py checks they are current),
# and the known mistakes the visible checks name (course/known_mistakes.py, from the mutants;
# tests/course/test_visible_checks.py checks it is current).
release: $(STAMP)
	mkdir -p $(DEMO)
	for chapter in $(CHAPTERS); do \
	  nbgrader generate_assignment $$chapter --force --log-level=WARN \
	    --CourseDirectory.db_url=sqlite:///$(DEMO)/release.db || exit 1; \
	done
	$(BIN)/python -m autograder normalize
	$(BIN)/python -m autograder.visible_mistakes

# The demo: every chapter released, submitted by the example students and autograded, in
# $(DEMO) (its own source/ link, release/, submitted/, autograded/, gradebook.db, grades.csv).
examples: release
	rm -rf $(DEMO)/source $(DEMO)/release $(DEMO)/submitted $(DEMO)/autograded $(DEMO)/gradebook.db
	ln -s $(CURDIR)/source $(DEMO)/source
	for chapter in $(CHAPTERS); do \
	  nbgrader generate_assignment $$chapter --force --log-level=WARN $(IN_DEMO) || exit 1; \
	done
	$(BIN)/python -m autograder examples --course $(DEMO)

autograde: examples grading-deps
	for chapter in $(CHAPTERS); do \
	  nbgrader autograde $$chapter --force --log-level=ERROR $(IN_DEMO) || exit 1; \
	done

report: autograde
	nbgrader export --log-level=WARN $(IN_DEMO) --to=$(DEMO)/grades.csv
	$(BIN)/python -m autograder report --course $(DEMO)

# A class: collect, autograde on every core, feedback, export, summary; rerun to resume
# (docs/scaling.md). make grade CHAPTERS=01_dense_layers GRADE_ARGS="--zip x.zip --roster r.csv"
grade: $(STAMP) grading-deps
	$(BIN)/python -m autograder grade $(CHAPTERS) $(GRADE_ARGS)

# The system packages first (tools/system-deps: installs them, or says how in one line).
test: system-deps $(STAMP) $(STUDENT_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	tools/system-deps

# Grading runs every student kernel under bubblewrap, and refuses where it cannot.
grading-deps:
	tools/system-deps grade

# The `course` wheel, what students install (no autograder/: tests/test_packaging.py checks).
wheel: $(WHEEL_STAMP)

$(WHEEL_STAMP): $(STAMP) pyproject.toml $(wildcard course/*.py)
	rm -f dist/backprop_from_scratch-*.whl
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist .
	touch $@

student-venv: $(STUDENT_STAMP)

# From scratch when the lock changes (nothing else in it), the wheel again when course/ does.
$(STUDENT_VENV)/.locked: requirements/student.txt
	rm -rf $(STUDENT_VENV) && $(PYTHON) -m venv $(STUDENT_VENV)
	$(STUDENT_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/student.txt
	touch $@

$(STUDENT_STAMP): $(STUDENT_VENV)/.locked $(WHEEL_STAMP)
	$(STUDENT_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall \
	  dist/backprop_from_scratch-*.whl
	touch $@

# What a course hands out: release/, the wheel, the student lock, a conda environment and a
# Binder/repo2docker configuration; nothing of source/ or autograder/ (tests/test_bundle.py).
student-bundle: $(WHEEL_STAMP)
	$(BIN)/python tools/student_bundle.py dist/backprop-student.zip

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

normalize: $(STAMP)
	$(BIN)/python -m autograder normalize

# JupyterLab on the course, as an instructor (the repo root on PYTHONPATH: a source notebook's
# hidden blocks then run in its own kernel, the checks calling the code in-process).
# No MPLBACKEND: the Agg exported above would reach the kernels, and plots would not show.
lab: $(STAMP)
	env -u MPLBACKEND PYTHONPATH=$(CURDIR) $(BIN)/jupyter lab --notebook-dir=$(CURDIR)

# Re-lock after changing the dependencies in pyproject.toml (uv.lock keeps the other versions;
# `make lock LOCK_ARGS=--upgrade` moves everything to the newest), then export one hashed
# requirements file per audience (tests/test_packaging.py checks they match uv.lock).
lock: $(STAMP)
	$(BIN)/uv lock $(LOCK_ARGS)
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev -o requirements/student.txt
	$(BIN)/uv export --quiet --frozen --no-emit-project --no-dev --extra grader \
	  -o requirements/grader.txt
	$(BIN)/uv export --quiet --frozen --no-emit-project --all-extras -o requirements/dev.txt

clean:
	rm -rf submitted autograded feedback gradebook.db grades.csv .grading $(DEMO)
