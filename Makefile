# Khuang: two commands. `make run` serves the demo venue; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# The first interpreter that is really Python 3.12+ (pyenv shims may exist but fail to run).
PY_FIND := for p in "$$PYTHON" python3.13 python3.12 $$(ls -d $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.1[3-9]*/bin/python3 $$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)/versions/3.12*/bin/python3 2>/dev/null) python3; do \
  [ -n "$$p" ] && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v "$$p" || echo "$$p"; } && break; done
VENV := .venv
VPY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SYS_PACKAGES := chromium fonts-thai-tlwg fonts-noto-core poppler-utils

.PHONY: run dev setup test venv venv-test sysdeps lint bench serve

$(VENV)/.stamp-run: pyproject.toml
	@py=$$($(PY_FIND)); if [ -z "$$py" ]; then echo "Khuang needs Python 3.12+ (set PYTHON=/path/to/python3.12)"; exit 1; fi; \
	  [ -x $(VPY) ] && $(VPY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { echo "Using $$py"; "$$py" -m venv --clear $(VENV); }
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-run
	$(VPY) -m pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.stamp-run
venv-test: $(VENV)/.stamp-test

# Browser tests need Debian's chromium and Thai fonts; PDF checks need poppler.
sysdeps:
	@missing=""; for p in $(SYS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Browser/PDF tests need these Debian packages:$$missing (run: sudo apt-get install$$missing)"; fi; \
	fi

setup: venv
	$(VPY) manage.py migrate --noinput
	$(VPY) manage.py collectstatic --noinput -v0
	$(VPY) manage.py load_demo
	$(VPY) manage.py ensure_admin

# gunicorn + task worker + periodic-job scheduler under one supervisor that restarts whichever dies.
run: setup
	@echo "Khuang on http://$(HOST):$(PORT)/  (gunicorn, task worker and scheduler, supervised; Ctrl-C stops all)"
	$(VPY) manage.py serve --host $(HOST) --port $(PORT)

# Development: Django's autoreloading runserver and a worker; not for anyone else to use.
dev: setup
	@echo "Khuang (development server) on http://$(HOST):$(PORT)/"
	@trap 'kill 0' EXIT INT TERM; DEBUG=$${DEBUG:-true} $(VPY) manage.py worker & DEBUG=$${DEBUG:-true} $(VPY) manage.py runserver $(HOST):$(PORT)

test: venv-test sysdeps
	@bash scripts/test.sh

lint: venv-test
	$(VENV)/bin/ruff check .

bench: venv-test
	$(VPY) bench/diary.py
	$(VPY) bench/kpis.py
	$(VPY) bench/plan.py
	$(VPY) bench/booths.py
