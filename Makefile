# Set-up and the two everyday commands: `make report` and `make test`.
# Both create .venv with python3 and install what they need (uv when it can be had, pip otherwise).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test lint demo-data clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade uv || true
	if test -x $(BIN)/uv; then \
	  $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'; \
	else \
	  $(BIN)/python -m pip install --quiet -e '.[dev]'; \
	fi
	touch $(STAMP)

# Until the notebook pack exists: the demo scorecard for the latest complete quarter.
report: $(STAMP)
	for f in xlsx csv json; do \
	  $(BIN)/cyps-analysis scorecard --data data/demo --period latest --out "outputs/{period}/scorecard.$$f" || exit $$?; \
	done

test: $(STAMP)
	$(BIN)/ruff check cyps_analysis tests benchmarks data/generate_demo.py
	$(BIN)/ruff format --check cyps_analysis tests benchmarks data/generate_demo.py
	$(BIN)/python -m pytest cyps_analysis tests

demo-data: $(STAMP)
	$(BIN)/python data/generate_demo.py

clean:
	rm -rf $(VENV) outputs/*/
