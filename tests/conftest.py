"""Shared set-up for the unit tests.

Figures are drawn with the Agg backend, which needs no display, so the
plotting tests run the same on a laptop and in CI.
"""

import matplotlib

matplotlib.use("Agg")
