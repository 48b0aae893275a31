# Quickstart targets: `make run` and `make test` create .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The main job on the bundled data: validate it, show who carries what and who carries too much,
# then write every unit's 任务清单 to build/checklists.
run: $(STAMP)
	$(BIN)/cityplan check
	$(BIN)/cityplan docs --format table
	$(BIN)/cityplan units --sort load --format table
	$(BIN)/cityplan overloaded --format table
	$(BIN)/cityplan unowned --format table
	$(BIN)/cityplan checklist --all --out build/checklists > /dev/null
	@echo "任务清单: build/checklists/ ($$(ls build/checklists | wc -l) files)"
	$(BIN)/cityplan report --format html --out build/weekly-report.html

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

# After changing a message in the code: extract every message, merge them into the Chinese catalog
# (translate the new, empty ones in the .po), and compile it to the .mo the package ships.
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o build/cityplan.pot src
	$(BIN)/pybabel update -i build/cityplan.pot -d src/cityplan_cli/locale -D cityplan -l zh \
		--no-fuzzy-matching --ignore-obsolete -w 110
	$(BIN)/pybabel compile -d src/cityplan_cli/locale -D cityplan -l zh

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
