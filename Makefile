# The two commands: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install translations messages db demo lint format check-python clean

run: install db demo
	@echo
	@echo "quizapp is serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo "Sign in with an employee number above and the password printed with it."
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

install: $(VENV)/.installed translations

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "quizapp needs Python 3.11 or newer")'

$(VENV)/.installed: pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

translations: $(VENV)/.installed
	@if ls quizapp/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile --use-fuzzy -d quizapp/translations; fi

# After changing texts: collect them into messages.pot and merge it into every language's .po
# (new texts come in untranslated; tests/test_translations.py fails until they are translated).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-location --sort-output --width 100 \
		--project quizapp -o quizapp/translations/messages.pot .
	$(BIN)/pybabel update -i quizapp/translations/messages.pot -d quizapp/translations \
		--no-fuzzy-matching --ignore-obsolete --width 100

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmarks (bench/README.md): everything at full size, or a reduced run under two minutes.
.PHONY: bench bench-quick
bench: install
	$(BIN)/python bench/run.py

bench-quick: install
	$(BIN)/python bench/run.py --quick
