# Set-up and the two everyday commands: `make report` and `make test`.
# Both create .venv with python3 and install what they need (uv when it can be had, pip otherwise).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: report test test-pandas22 lint demo-data clean

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

# The rules, dataset and scorecard tests and the byte-for-byte comparison of the demo's
# outputs, once more under the oldest pandas the kit supports (2.2.3), in .venv-pandas22.
OLD_PANDAS := .venv-pandas22
test-pandas22: $(STAMP)
	test -x $(OLD_PANDAS)/bin/python || $(BIN)/uv venv --quiet --python $(BIN)/python $(OLD_PANDAS)
	VIRTUAL_ENV=$(OLD_PANDAS) $(BIN)/uv pip install --quiet -e . "pandas==2.2.3" "pytest>=8" "hypothesis>=6.100"
	$(OLD_PANDAS)/bin/python -c "import pandas; assert pandas.__version__ == '2.2.3', pandas.__version__"
	$(OLD_PANDAS)/bin/python -m pytest -q cyps_analysis/rules cyps_analysis/dataset \
	  cyps_analysis/scorecard cyps_analysis/vocab.py tests/rules tests/dataset tests/scorecard \
	  tests/regression

demo-data: $(STAMP)
	$(BIN)/python data/generate_demo.py

clean:
	rm -rf $(VENV) $(OLD_PANDAS) outputs/*/
