# reviewer: `make run` opens the demo, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-gui screenshots package check-wheel clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "reviewer needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reviewer demo

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check reviewer tests benchmarks resources docs packaging
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/bench_text.py
	$(BIN)/python benchmarks/bench_suspicion.py
	$(BIN)/python benchmarks/bench_label.py
	$(BIN)/python benchmarks/bench_omr_ned.py --repeat 3
	$(BIN)/python benchmarks/bench_long_pairs.py
	$(BIN)/python benchmarks/bench_answer.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist *.egg-info

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots/make_screenshots.py
	for s in decision flow import answer report team formats; do \
		QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots/make_$${s}_screenshots.py || exit 1; \
	done

bench-gui: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_gui.py

PACKAGE_STAMP := $(VENV)/.package-installed

$(PACKAGE_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	test -f packaging/icons/reviewer.icns || $(BIN)/python packaging/make_icons.py
	$(BIN)/pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/reviewer.spec
	$(BIN)/python packaging/smoke_test.py

check-wheel: $(PACKAGE_STAMP)
	$(BIN)/python packaging/check_wheel.py
