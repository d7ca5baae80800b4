# Two commands do all the set-up on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py

.PHONY: install setup run test lint bench worker beat messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Migrates, and loads the seed plans and demo data into an empty database.
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty

run: setup
	@echo "Cổng chuyển đổi số: http://127.0.0.1:8000/"
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest

# Style (ruff) and the layers contract (import-linter), both configured in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m pytest benchmarks -p no:cacheprovider -s -o testpaths=benchmarks -o python_files='bench_*.py'

# Rebuild the Vietnamese catalogue after changing user-facing strings (needs GNU gettext).
messages: install
	$(MANAGE) makemessages -l vi --no-obsolete --add-location file -i '.venv/*' -i 'benchmarks/*'
	$(MANAGE) compilemessages -l vi --ignore '.venv/*'

worker: install
	$(BIN)/celery -A config worker -l info

beat: install
	$(BIN)/celery -A config beat -l info
