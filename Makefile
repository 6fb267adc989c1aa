# Two commands on a fresh machine with python3 and make: `make serve` and `make test`.
# The first run installs uv (pinned) into .build-cache/uv-boot and the locked dependencies into .venv;
# later runs install nothing unless pyproject.toml or uv.lock changed.

PYTHON ?= python3
UV_VERSION := 0.13.8
BOOT := .build-cache/uv-boot
UV := $(BOOT)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

export UV_PYTHON_DOWNLOADS := never
include build.env
export DISABLE_MKDOCS_2_WARNING NO_MKDOCS_2_WARNING
# Python's own bytecode cache stays on for every command here, whatever the environment says: the
# suite starts hundreds of Python processes, and with PYTHONDONTWRITEBYTECODE set each recompiled
# the project's modules and pytest rewrote every test module's asserts again (collection took
# 7-8 s a process instead of 4 s). The cache files go to __pycache__/, which git ignores.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: serve build test test-fast anchors notebooks zensical bench bench-pages mutate clean release publish-release publish-latest

serve: $(INSTALLED)  ## the site on http://127.0.0.1:8000, rebuilt and reloaded on every edit
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

SITE_DIR ?= site
COVERAGE_DATA := .build-cache/coverage
# pytest-xdist: two workers, one a core; they share the site builds and the browser pass
# (conftest.py). `make test WORKERS=` runs the suite in one process.
WORKERS ?= -n 2

build: $(INSTALLED)  ## the static site in site/, replaced only by a build that succeeded
	rm -rf $(SITE_DIR).partial
	$(BIN)/mkdocs build --strict --site-dir $(SITE_DIR).partial
	rm -rf $(SITE_DIR) && mv $(SITE_DIR).partial $(SITE_DIR)

test: $(INSTALLED)  ## the whole suite: lint, every test under coverage, then the coverage gates
	$(BIN)/ruff check .
	rm -rf $(COVERAGE_DATA)
	$(BIN)/coverage run -m pytest $(WORKERS)
	$(BIN)/coverage combine --quiet
	$(BIN)/python bench/coverage_gate.py

test-fast: $(INSTALLED)  ## the tests that need no site build, in seconds
	$(BIN)/python -m pytest -m "not site" $(WORKERS)

PAGES_BRANCH ?= gh-pages

release: $(INSTALLED)  ## record release VERSION=X.Y in releases.json and CITATION.cff (CONTRIBUTING, "Making a release")
	$(BIN)/python -m sitekit.publish record $(VERSION)

publish-release: $(INSTALLED)  ## the workflow, on tag vX.Y: build release X.Y with mike into the Pages branch, once
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m sitekit.publish release $(VERSION) --branch $(PAGES_BRANCH)

publish-latest: $(INSTALLED)  ## the workflow, on main: the latest build at the Pages branch's root, releases kept
	SITE_PUBLISHED=1 $(MAKE) build
	$(BIN)/python -m sitekit.publish latest $(SITE_DIR) --branch $(PAGES_BRANCH)

anchors: build  ## add the anchors of a fresh build to anchors.lock
	$(BIN)/python -m hooks.anchors update site

notebooks: build  ## the output-free notebooks/*.ipynb and binder/ that Colab and Binder open; commit them
	$(BIN)/python -m sitekit.launch $(SITE_DIR) .

zensical: $(INSTALLED)  ## the site built by Zensical into .build-cache/zensical-site (README: "Building with Zensical")
	$(BIN)/python -m sitekit.zensical_site

bench: $(INSTALLED)  ## build times against plain MkDocs; writes bench/results.json
	$(BIN)/python bench/run.py

bench-pages: build  ## Lighthouse's mobile preset on the pages, served gzip-compressed; writes bench/pages.json
	cd bench && npm ci --no-audit --no-fund --silent
	$(BIN)/python bench/pages.py

mutate: $(INSTALLED)  ## mutation testing of snippets/ (mutmut; about 15 minutes on 2 cores); fails below 90%
	$(UV) sync --locked --inexact --group mutate
	rm -rf mutants
	$(BIN)/mutmut run > .build-cache/mutmut.log 2>&1 || (tail -20 .build-cache/mutmut.log; exit 1)
	$(BIN)/python bench/mutation.py

clean:
	rm -rf site .build-cache/figures .pytest_cache

$(UV):
	$(PYTHON) -m venv $(BOOT)
	$(BOOT)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(INSTALLED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@
