"""Shared set-up for the unit tests.

Figures are drawn with the Agg backend, which needs no display, so the
plotting tests run the same on a laptop and in CI; every test closes the
figures it left open.
"""

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")
