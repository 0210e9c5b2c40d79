# Vitrine — every command a person or CI runs. Only python3 is needed:
# the first target that needs them creates .venv from the pinned requirements.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)/plugins
PORT ?= 8000

.PHONY: html serve validate test bench digest translations clean lint

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

html: $(STAMP)  ## build the site into output/
	$(BIN)/pelican content -s pelicanconf.py -o output

serve: html  ## build, then serve output/ on http://127.0.0.1:$(PORT)/
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory output

validate: $(STAMP)  ## check every listing and event, print all problems
	$(BIN)/python -m vitrine validate

test: $(STAMP)  ## run every test (and the linter)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

digest: $(STAMP)  ## build the site with a digest for PERIOD=AAAA-MM (see README)
	VITRINE_DIGEST_PERIOD=$(PERIOD) $(BIN)/pelican content -s pelicanconf.py -o output

bench: $(STAMP)  ## province-scale benchmark (see bench/README.md)
	$(BIN)/python bench/run.py

translations: $(STAMP)  ## refresh theme/translations/en.po from the templates' strings
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output -o $(VENV)/messages.pot theme/templates
	test -f theme/translations/en.po || $(BIN)/pybabel -q init -l en -i $(VENV)/messages.pot -o theme/translations/en.po
	$(BIN)/pybabel -q update --no-fuzzy-matching -l en -i $(VENV)/messages.pot -o theme/translations/en.po

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf output .pytest_cache
