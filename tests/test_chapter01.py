"""Chapter 1's inline code and the shared utils compute the same numbers.

The chapter's own cells are executed (up to its training loop) and their
results compared with utils, so the test follows the chapter if it is
edited.
"""

import matplotlib
import numpy as np
import pytest

from notebooks import ROOT, code_cells, run_cells
from utils import linear
from utils.data import flipper_and_mass
from utils.training import fit_linear

matplotlib.use("Agg")
CHAPTER = ROOT / "chapters" / "01-gradient-descent.ipynb"


@pytest.fixture(scope="module")
def chapter():
    import IPython.display

    original = IPython.display.display
    IPython.display.display = lambda *a, **k: None
    try:
        cells = code_cells(CHAPTER)
        loop = next(i for i, c in enumerate(cells)
                    if "history.append" in c)
        namespace, _ = run_cells(cells[:loop + 1])
    finally:
        IPython.display.display = original
    return namespace


def test_chapter_data_is_the_shared_data(chapter):
    x, y = flipper_and_mass()
    np.testing.assert_array_equal(chapter["x"], x)
    np.testing.assert_array_equal(chapter["y"], y)


def test_inline_cost_and_gradient_match_utils(chapter):
    x, y = chapter["x"], chapter["y"]
    for w, b in [(0.0, 0.0), (0.3, 4.0), (-2.0, 1.5)]:
        assert chapter["cost"](w, b, x, y) == linear.mse(w, b, x, y)
        assert chapter["gradient"](w, b, x, y) == linear.mse_grad(
            w, b, x, y)


def test_inline_loop_and_utils_sgd_agree_bit_for_bit(chapter):
    history = chapter["history"]
    run = fit_linear(chapter["x"], chapter["y"], lr=chapter["lr"],
                     steps=chapter["steps"])
    np.testing.assert_array_equal(run.theta, history[:, :2])
    np.testing.assert_array_equal(run.loss, history[:, 2])


def test_fifty_steps_reach_the_least_squares_line(chapter):
    w_star, b_star = linear.least_squares(chapter["x"], chapter["y"])
    w_end, b_end, _ = chapter["history"][-1]
    # The text says b settles by a factor (1 - 2 lr) per step and w by
    # (1 - lr L) with L = 2 mean(x^2): check the gaps against those rates.
    lr, steps = chapter["lr"], chapter["steps"]
    L = 2 * np.mean(chapter["x"] ** 2)
    assert abs(b_end - b_star) <= abs(b_star) * (1 - 2 * lr) ** steps * 1.01
    assert abs(w_end - w_star) <= 1e-8
    assert abs(1 - lr * L) < abs(1 - 2 * lr)


def test_learning_rate_preview_claims(chapter):
    # Section 1.7: 0.01 crawls, 0.1 converges, 0.6 overshoots and grows.
    x, y = chapter["x"], chapter["y"]
    optimum = linear.mse(*linear.least_squares(x, y), x, y)
    slow = fit_linear(x, y, lr=0.01, steps=50)
    good = fit_linear(x, y, lr=0.1, steps=50)
    fast = fit_linear(x, y, lr=0.6, steps=50)
    assert slow.loss[-1] > 10 * optimum
    assert good.loss[-1] == pytest.approx(optimum, rel=1e-6)
    assert fast.loss[-1] > fast.loss[0]
    assert np.all(np.diff(fast.loss[3:]) > 0)


def test_the_chapter_imports_only_what_it_uses():
    cells = "\n".join(code_cells(CHAPTER))
    assert "matplotlib.pyplot" not in cells and "plt." not in cells


def test_cost_figures_say_their_unit():
    cells = [c for c in code_cells(CHAPTER) if "loss_figure(" in c
             and "import" not in c]
    assert len(cells) == 2
    assert all('ylabel="cost J (kg²)"' in c for c in cells)
