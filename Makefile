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

# The demo authority's pack for its latest complete quarter; prints the path of index.html.
report: $(STAMP)
	$(BIN)/cyps-analysis run --data data/demo --period latest --jobs 2

test: $(STAMP)
	$(BIN)/ruff check cyps_analysis tests benchmarks data/generate_demo.py
	$(BIN)/ruff format --check cyps_analysis tests benchmarks data/generate_demo.py
	$(BIN)/python -m pytest cyps_analysis tests

demo-data: $(STAMP)
	$(BIN)/python data/generate_demo.py

clean:
	rm -rf $(VENV) outputs/*/
