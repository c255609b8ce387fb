# The README's commands. Each one sets up .venv first if it is missing or
# older than pyproject.toml, so both work on a fresh clone and are quick
# the second time.
#
#   make lab        open the course in JupyterLab (localhost, with a token)
#   make test       run every test: unit tests and every notebook under nbval
#   make notebooks   re-execute every notebook in place, after an edit
#   make clean      remove the environment

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# JupyterLab refuses to run as root unless told; CI and containers are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: env lab test notebooks clean

env: $(READY)

$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) \
		else "This course needs Python 3.11 or newer; found " + sys.version)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable .
	@# Build matplotlib's font cache now, so that no notebook prints
	@# "Matplotlib is building the font cache" on its first run.
	$(BIN)/python -c 'import matplotlib.pyplot'
	touch $(READY)

lab: $(READY)
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ROOT_FLAG) chapters/01-gradient-descent.ipynb

test: $(READY)
	$(BIN)/python -m pytest

# Timing metadata is left out so that a rerun changes only what changed.
notebooks: $(READY)
	for nb in chapters/*.ipynb appendix/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

clean:
	rm -rf $(VENV)
