# Vitrine — every command a person or CI runs. Only python3 is needed:
# the first target that needs them creates .venv from the pinned requirements.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)/plugins
PORT ?= 8000
BASE ?= origin/main
FORMAT ?= text

.PHONY: html serve devserver validate validate-changed audit a-verifier schemas contrats test bench digest translations clean lint

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

html: $(STAMP)  ## build the site into output/
	$(BIN)/pelican content -s pelicanconf.py -o output $(PELICANOPTS)

serve: html  ## build, then serve output/ on http://127.0.0.1:$(PORT)/
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory output

devserver: $(STAMP)  ## preview on http://127.0.0.1:$(PORT)/, rebuilt and refreshed on every save
	$(BIN)/python -m vitrine.devserver --port $(PORT)

validate: $(STAMP)  ## check every listing and event, print all problems
	$(BIN)/python -m vitrine validate

validate-changed: $(STAMP)  ## check only the files changed since BASE (a pull request's)
	$(BIN)/python -m vitrine validate --changed-since $(BASE) --format $(FORMAT)

audit: $(STAMP)  ## re-read output/ (or OUTPUT=folder): every valid listing in every output?
	$(BIN)/python -m vitrine audit $(OUTPUT)

a-verifier: $(STAMP)  ## listings not updated for VITRINE_STALE_MONTHS, oldest first, with their contact
	$(BIN)/python -m vitrine a-verifier

contrats: $(STAMP)  ## keep SEAO's contracts of listed enterprises and signatories: SEAO="files or folder"
	@test -n "$(SEAO)" || { echo 'Indiquez les fichiers de SEAO : make contrats SEAO="dossier ou fichiers.json"'; exit 2; }
	$(BIN)/python -m vitrine contrats $(SEAO)

schemas: $(STAMP)  ## regenerate schemas/*.schema.json from the model and vocabularies
	$(BIN)/python -m vitrine schema --write schemas

# axe-core (browser tests), ical.js and vnu-jar (output checks), pinned in tests/package-lock.json.
AXE := tests/node_modules/.package-lock.json
$(AXE): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund

test: $(STAMP) $(AXE)  ## run every test (and the linter)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

digest: $(STAMP)  ## write content/digests/PERIOD.md (PERIOD=AAAA-MM) unless it exists, then build
	@test -n "$(PERIOD)" || { echo "Indiquez la période : make digest PERIOD=AAAA-MM"; exit 2; }
	$(BIN)/python -m vitrine digest $(PERIOD)
	$(BIN)/pelican content -s pelicanconf.py -o output $(PELICANOPTS)

bench: $(STAMP)  ## province-scale benchmark (see bench/README.md)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

translations: $(STAMP)  ## refresh theme/translations/en.po from the templates' strings
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output -o $(VENV)/messages.pot theme/templates plugins/vitrine
	test -f theme/translations/en.po || $(BIN)/pybabel -q init -l en -i $(VENV)/messages.pot -o theme/translations/en.po
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -l en -i $(VENV)/messages.pot -o theme/translations/en.po

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf output cache .pytest_cache
