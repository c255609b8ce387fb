# The README's commands. Each one sets up .venv first if it is missing or
# older than pyproject.toml, so both work on a fresh clone and are quick
# the second time.
#
#   make lab        open the course in JupyterLab (localhost, with a token)
#   make test       run every test: unit tests and every notebook under nbval,
#                   the widgets in JupyterLab in Chromium, and the book
#   make notebooks   re-execute every notebook in place, after an edit
#   make book       build the static HTML book into build/book/_build/html
#   make bench      time the optimizers' steps and the 3D panel's controls
#   make clean      remove the environment

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# JupyterLab refuses to run as root unless told; CI and containers are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: env lab test notebooks book browser bench clean

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

# root_dir: the whole repository, not only the folder of the file opened.
lab: $(READY)
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ROOT_FLAG) --ServerApp.root_dir=. \
		chapters/01-gradient-descent.ipynb

test: $(READY) browser
	$(BIN)/python -m pytest

# The browser tests (tests/browser/) drive Debian's Chromium; nothing
# downloads a browser of its own. Install the package when it is missing
# and this is root with apt-get, as in CI. Otherwise, or if the install
# fails, say so: the browser tests then skip, or fail when CI is set.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium >/dev/null \
		|| echo "Could not install chromium: the browser tests need it."; \
	else \
		echo "No /usr/bin/chromium, and installing it needs root and" \
			"apt-get: the browser tests will be skipped."; \
	fi

# Offline, from the committed outputs; only what changed is rebuilt.
book: $(READY)
	$(BIN)/python book/build.py

# Timing metadata is left out so that a rerun changes only what changed.
notebooks: $(READY)
	for nb in chapters/*.ipynb appendix/*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

# Speed measurements, kept as scripts rather than timed tests; see
# benchmarks/README.md for what each one reports.
bench: $(READY)
	$(BIN)/python benchmarks/optimizer_step.py
	$(BIN)/python benchmarks/slider_latency.py

clean:
	rm -rf $(VENV)
