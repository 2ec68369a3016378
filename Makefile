# Two commands do all set-up on a fresh machine with Python 3.11+ and make:
#   make report   build the default period's pack on the embedded sample
#   make test     run every test
# and, while working, `make test-fast`: the unit tests in about two minutes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PERIOD ?= 2025-26-autumn
JOBS   ?= 2

.PHONY: report test test-fast lab lint sample-data sync-notebooks benchmark clean pdf-deps

# pack.pdf is laid out by typst (a wheel from PyPI) in the house font, Liberation Sans; the PDF tests
# read it with poppler's pdftotext. Names of schools and officers come in every script: Debian's Noto
# fonts cover them (leep_analysis/fonts.py lists which font covers which script, and gives the layout
# engine their folders). apt-get installs them where they are missing; where it cannot, the PDF falls
# back to the fonts typst and matplotlib ship, and the PDF tests that need pdftotext skip.
FONT_DEBS := fonts-liberation fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
PDF_DEBS := poppler-utils $(FONT_DEBS)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

pdf-deps: $(STAMP)
	@($(BIN)/python -m leep_analysis.fonts >/dev/null 2>&1 && command -v pdftotext >/dev/null) \
	  || (command -v apt-get >/dev/null 2>&1 && (apt-get install -y -q $(PDF_DEBS) >/dev/null 2>&1 \
	      || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(PDF_DEBS) >/dev/null 2>&1))) \
	  || echo "make: could not install $(PDF_DEBS) with apt-get; pack.pdf uses fallback fonts (names in some scripts may show as empty boxes)"

report: $(STAMP) pdf-deps  ## build outputs/$(PERIOD)/ and print the path of its index.html
	$(BIN)/leep run params/$(PERIOD).yaml --jobs $(JOBS)

test: $(STAMP) pdf-deps  ## unit, notebook-structure and end-to-end tests
	$(BIN)/python -m pytest -n auto

# Whole packs (pack), the real published files (real_data) and command, kernel or process runs
# (slow) are left out: markers in pyproject.toml, set by tests/conftest.py from the fixtures used.
test-fast: $(STAMP)  ## unit and notebook-structure tests only
	$(BIN)/python -m pytest -n auto -m "not pack and not real_data and not slow"

# A working copy of the notebooks with the period's parameters in place (leep lab), made once: after that
# make lab opens the copy as the analyst left it (remove lab-$(PERIOD)/ for a fresh one).
lab: $(STAMP)  ## JupyterLab on lab-$(PERIOD)/, a working copy of the notebooks with the period's parameters
	@if [ -d lab-$(PERIOD) ]; then $(BIN)/jupyter lab lab-$(PERIOD); \
	else $(BIN)/leep lab params/$(PERIOD).yaml --dir lab-$(PERIOD); fi

lint: $(STAMP)
	$(BIN)/ruff check leep_analysis tests benchmarks

sample-data: $(STAMP)  ## regenerate the shipped synthetic sample
	$(BIN)/python -m leep_analysis.sample

sync-notebooks: $(STAMP)  ## rewrite notebooks' parameters cells from the params model
	$(BIN)/python -m leep_analysis.notebooks

benchmark: $(STAMP)  ## speed and memory figures (not part of the tests)
	$(BIN)/python benchmarks/pack.py --repeat 5 --scales 250,2500,25000

clean:
	rm -rf $(VENV) outputs/*/ .pytest_cache
