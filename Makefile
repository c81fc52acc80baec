# The course's commands. Every target is idempotent and sets up what it needs.
# `make setup` builds .venv from the pinned requirements.lock; a second run is a no-op.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test test-slow lint book pdf screenshots release workspace lab formgrader grade lessons world lock benchmarks

# nbgrader and jupyter-book call other programs of the environment by name.
export PATH := $(CURDIR)/$(BIN):$(PATH)

setup: $(STAMP)

# The stamp is remade only when the pins or the package metadata change.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Lint and the architecture's contracts, then every test not marked slow, on every core (one
# test file per worker, so a notebook's cells stay in one kernel): every lesson run against
# its stored outputs, the package and its doctests, the widgets. A few minutes; CI runs it
# first.
test: lint
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not slow"

# The checks that take minutes each: grading cohorts, course integrity (every assignment
# graded with its solutions, untouched, one exercise at a time, and with wrong answers), the
# book build, and the site and the lab in a browser. CI runs them after `make test`.
test-slow: setup
	$(BIN)/python -m pytest -n auto --dist loadfile -m slow

# ruff (lint, import order) and import-linter (customering_utils never imports the tooling;
# the tooling's layers import one way only), both configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The released assignments, then the site, with Sphinx warnings as errors.
book: release
	$(BIN)/jupyter-book build . --toc book/_toc.yml --warningiserror --nitpick --keep-going

# The built book as one PDF (_build/pdf/), each page printed by Debian's Chromium in the
# order of the table of contents: for readers who print or read offline.
pdf: book
	$(BIN)/python -m customering_course pdf

# The README's pictures (book/screenshots/, committed): a lesson and an assignment page of
# the built site, and a widget in a fresh learner's JupyterLab, taken by the tests' browser.
screenshots: book
	$(BIN)/python -m customering_course screenshots

# nbgrader generate_assignment for every module; lessons travel unchanged.
release: setup
	$(BIN)/python -m customering_course release

# A learner's copy of the released course; never overwrites what is already there.
workspace: release
	$(BIN)/python -m customering_course workspace

# The learner's JupyterLab: their workspace, with the settings `make workspace` wrote in
# workspace/.jupyter (no instructor panels, no news pop-up; the Validate button stays).
lab: workspace
	JUPYTER_CONFIG_DIR=$(CURDIR)/workspace/.jupyter JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/workspace/.jupyter/lab/user-settings \
	  $(BIN)/jupyter lab --notebook-dir=workspace $(if $(filter 0,$(shell id -u)),--allow-root)

# The instructor's JupyterLab on the course: nbgrader's Formgrader (Nbgrader > Formgrader)
# for grading written answers by hand, and the create-assignment tools.
formgrader: setup
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root)

# Autograde everything in submitted/<student>/<assignment>/ in parallel and in a sandbox;
# feedback/, grades/grades.csv, grades/item-analysis-*. Options: make grade ARGS="--help".
grade: setup
	$(BIN)/python -m customering_course grade $(ARGS)

# For authors: every lesson (or LESSONS="path ...") run again in place, outputs saved.
lessons: setup
	$(BIN)/python -m customering_course execute $(LESSONS)

# Regenerate the committed data world (datasets/world/) from the simulator's defaults.
world: setup
	$(BIN)/python -m customering_utils.datasets datasets/world

benchmarks: setup
	$(BIN)/python benchmarks/generate_world.py

# Re-resolve the dependency ranges of pyproject.toml into exact pins (maintainers only;
# needs the package registry). Commit the new requirements.lock with the change.
lock:
	rm -rf /tmp/customering-lock && $(PYTHON) -m venv /tmp/customering-lock
	/tmp/customering-lock/bin/python -m pip install --quiet --disable-pip-version-check -e ".[grade,book,dev]"
	( echo "# Exact pins for every machine; regenerate with 'make lock'. Python 3.11."; \
	  /tmp/customering-lock/bin/python -m pip freeze --all --exclude-editable | grep -v '^pip==' ) > requirements.lock
