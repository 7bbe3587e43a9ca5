# Two commands for a new machine: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test install migrate bench train lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# A fresh secret for this machine; the demo never ships a fixed key or password.
.env:
	@echo "TSUNAGU_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')" > .env
	@echo "Created .env with a new TSUNAGU_SECRET_KEY"

migrate: install .env
	$(VENV)/bin/tsunagu db upgrade

run: install .env
	TSUNAGU_DEMO=1 $(VENV)/bin/tsunagu db upgrade
	TSUNAGU_DEMO=1 $(VENV)/bin/tsunagu serve --host 127.0.0.1 --port 8000

test: install
	$(PY) -m pytest -q -ra

bench: install
	$(PY) -m bench.classifier

# Retrain the classifier's learned layer from tests/data/classifier (held-out files excluded).
train: install
	$(PY) -m pip install --quiet -e ".[test,train]"
	$(PY) -m intents.train --check
	$(PY) -m intents.train

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache
