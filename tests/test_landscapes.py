"""Tests for utils.landscapes: formulas, derivatives, minima, races."""

import io

import numpy as np
import pytest
from matplotlib import mathtext

from utils import landscapes as ls
from utils import linear
from utils.data import flipper_and_mass, load_penguins
from utils.gradcheck import numerical_gradient
from utils.optimizers import SGD
from utils.training import Run

KEYS = list(ls.LANDSCAPES)


def points_in_view(land, count=12, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(*land.xlim, size=count)
    y = rng.uniform(*land.ylim, size=count)
    return np.column_stack([x, y])


def test_the_appendix_has_the_landscapes_it_promises():
    assert set(KEYS) == {"penguin", "penguin-raw", "valley",
                         "tilted-valley", "rosenbrock", "himmelblau",
                         "saddle", "rugged"}
    for key, land in ls.LANDSCAPES.items():
        assert land.key == key
        assert ls.get(key) is land and ls.get(land) is land


def test_get_names_the_choices_for_an_unknown_key():
    with pytest.raises(ValueError, match="landscape must be one of"):
        ls.get("everest")


@pytest.mark.parametrize("key", KEYS)
def test_gradient_matches_finite_differences(key):
    land = ls.get(key)
    for point in points_in_view(land):
        numeric = numerical_gradient(land.value, point, h=1e-5)
        exact = land.gradient(point)
        scale = max(1.0, np.abs(exact).max())
        assert np.allclose(exact, numeric, rtol=1e-6, atol=1e-6 * scale)


@pytest.mark.parametrize("key", KEYS)
def test_hessian_matches_finite_differences_of_the_gradient(key):
    land = ls.get(key)
    h = 1e-6
    for point in points_in_view(land, count=6, seed=1):
        columns = [(land.gradient(point + h * e)
                    - land.gradient(point - h * e)) / (2 * h)
                   for e in np.eye(2)]
        numeric = np.column_stack(columns)
        exact = land.hessian(*point)
        scale = max(1.0, np.abs(exact).max())
        assert np.allclose(exact, exact.T)
        assert np.allclose(exact, numeric, rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("key", KEYS)
def test_f_and_grad_work_on_grids_as_on_points(key):
    land = ls.get(key)
    pts = points_in_view(land, count=6, seed=2)
    grid_f = land.f(pts[:, 0], pts[:, 1])
    grid_g = np.column_stack(land.grad(pts[:, 0], pts[:, 1]))
    for i, p in enumerate(pts):
        assert grid_f[i] == pytest.approx(land.value(p), rel=1e-13)
        assert np.allclose(grid_g[i], land.gradient(p), rtol=1e-13)


@pytest.mark.parametrize("key", KEYS)
def test_minima_are_minima(key):
    land = ls.get(key)
    assert land.minima
    for point in land.minima:
        g = land.gradient(point)
        assert np.abs(g).max() < 1e-9
        assert land.value(point) == pytest.approx(land.f_min, abs=1e-12)
        assert np.all(np.linalg.eigvalsh(land.hessian(*point)) > 0)
        assert land.inside(point)[0]
    for point in land.local_minima:
        assert np.abs(land.gradient(point)).max() < 1e-9
        assert np.all(np.linalg.eigvalsh(land.hessian(*point)) > 0)
        assert land.value(point) > land.f_min + 1e-3
        assert land.inside(point)[0]


@pytest.mark.parametrize("key", KEYS)
def test_no_point_of_the_view_lies_below_the_minimum(key):
    land = ls.get(key)
    xs = np.linspace(*land.xlim, 301)
    ys = np.linspace(*land.ylim, 301)
    X, Y = np.meshgrid(xs, ys)
    assert land.f(X, Y).min() >= land.f_min - 1e-12


@pytest.mark.parametrize("key", KEYS)
def test_saddles_have_zero_gradient_and_curvatures_of_both_signs(key):
    land = ls.get(key)
    for point in land.saddles:
        assert np.abs(land.gradient(point)).max() < 1e-9
        low, high = np.linalg.eigvalsh(land.hessian(*point))
        assert low < 0 < high


@pytest.mark.parametrize("key", KEYS)
def test_start_and_formula_are_usable(key):
    land = ls.get(key)
    assert land.inside(land.start)[0]
    assert land.lr > 0
    # The formula is valid mathtext, so the figure's title can show it.
    mathtext.math_to_image(f"${land.formula}$", io.BytesIO(), format="png")


def test_penguin_landscape_is_the_course_model():
    x, y = flipper_and_mass()
    land = ls.get("penguin")
    for w, b in [(0.0, 0.0), (-3.0, 2.0), (1.5, 7.0)]:
        assert land.value((w, b)) == pytest.approx(linear.mse(w, b, x, y),
                                                   rel=1e-12)
        assert np.allclose(land.gradient((w, b)),
                           linear.mse_grad(w, b, x, y), rtol=1e-10,
                           atol=1e-12)
    assert np.allclose(land.minima[0], linear.least_squares(x, y))
    assert np.allclose(land.hessian(0.0, 0.0), linear.mse_hessian(x))
    assert land.inside((0.0, 0.0))[0], "Chapter 1's start is in view"


def test_uncentred_penguin_landscape_uses_flipper_length_in_cm():
    _, y = flipper_and_mass()
    x = load_penguins().flipper_length_mm / 10
    land = ls.get("penguin-raw")
    assert land.value((0.3, -1.0)) == pytest.approx(
        linear.mse(0.3, -1.0, x, y), rel=1e-12)
    H = linear.mse_hessian(x)
    assert np.allclose(land.hessian(0.0, 0.0), H)
    low, high = np.linalg.eigvalsh(H)
    assert high / low > 1e4, "the uncentred valley is very narrow"


@pytest.mark.parametrize("key", ["valley", "tilted-valley"])
def test_valleys_have_curvatures_1_and_25(key):
    H = ls.get(key).hessian(0.3, -0.2)
    assert np.allclose(np.linalg.eigvalsh(H), [1.0, 25.0])


def test_tilted_valley_is_the_valley_turned_by_45_degrees():
    c = np.sqrt(0.5)
    turn = np.array([[c, c], [-c, c]])
    flat, tilted = ls.get("valley"), ls.get("tilted-valley")
    for p in points_in_view(flat, count=5):
        assert tilted.value(turn.T @ p) == pytest.approx(flat.value(p))


def test_himmelblau_has_four_separate_minima_and_rugged_25():
    minima = np.array(ls.get("himmelblau").minima)
    assert len(minima) == 4
    gaps = np.linalg.norm(minima[:, None] - minima[None], axis=2)
    assert gaps[~np.eye(4, dtype=bool)].min() > 1.0
    rugged = ls.get("rugged")
    assert len(rugged.minima) + len(rugged.local_minima) == 25


# --- races -------------------------------------------------------------

def test_gd_in_the_race_is_the_update_written_by_hand():
    land = ls.get("himmelblau")
    run = ls.run_one(land, "GD", (1.0, 1.0), 20, lr=0.01)
    theta = np.array([1.0, 1.0])
    for k in range(20):
        theta = theta - 0.01 * land.gradient(theta)
        assert np.allclose(run.theta[k + 1], theta, rtol=1e-14)


def test_race_gives_every_optimizer_the_same_start_and_budget():
    runs = ls.race("rosenbrock", list(ls.OPTIMIZERS), steps=30, lr=1e-3)
    assert list(runs) == list(ls.OPTIMIZERS)
    for run in runs.values():
        assert np.array_equal(run.theta[0], ls.ROSENBROCK.start)
        assert run.steps == 30


def test_gd_on_the_valley_follows_the_eigenvalue_formula():
    # Each coordinate shrinks by 1 - lr * lambda per step (Chapter 2).
    lr, steps = 0.01, 100
    run = ls.run_one("valley", "GD", (-9.0, 1.5), steps, lr)
    want = (-9.0 * (1 - lr) ** steps, 1.5 * (1 - 25 * lr) ** steps)
    assert np.allclose(run.theta[-1], want, rtol=1e-10)


def test_settings_read_by_each_optimizer():
    assert ls.settings_read_by("GD") == ()
    assert ls.settings_read_by("Momentum") == ("momentum",)
    assert ls.settings_read_by("Adam") == ("beta1", "beta2")
    assert ls.settings_read_by("RMSProp") == ("alpha",)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        ls.settings_read_by("LBFGS")


@pytest.mark.parametrize("name", list(ls.OPTIMIZERS))
def test_a_run_depends_only_on_the_settings_it_reads(name):
    base = dict(momentum=0.9, beta1=0.9, beta2=0.999, alpha=0.99)
    other = dict(momentum=0.5, beta1=0.5, beta2=0.99, alpha=0.9)
    read = ls.settings_read_by(name)
    mixed = {k: (other[k] if k not in read else base[k]) for k in base}
    a = ls.run_one("himmelblau", name, (0.5, 0.5), 40, 0.01, **base)
    b = ls.run_one("himmelblau", name, (0.5, 0.5), 40, 0.01, **mixed)
    assert np.array_equal(a.theta, b.theta)


def test_momentum_zero_is_plain_gradient_descent():
    for name in ("Momentum", "Nesterov"):
        opt = ls.make_optimizer(name, lr=0.1, momentum=0.0)
        assert isinstance(opt, SGD) and opt.momentum == 0.0


@pytest.mark.parametrize("name", list(ls.OPTIMIZERS))
def test_fewer_steps_give_the_start_of_a_longer_run(name):
    long = ls.run_one("rugged", name, (3.3, 2.6), 60, 0.05, noise=1.0)
    short = ls.run_one("rugged", name, (3.3, 2.6), 25, 0.05, noise=1.0)
    cut = ls.truncate(long, 25)
    assert np.array_equal(cut.theta, short.theta)
    assert np.array_equal(cut.loss, short.loss)
    assert ls.truncate(long, 100) is long


def test_noise_is_seeded_and_the_same_for_every_optimizer():
    a = ls.run_one("rugged", "GD", (1.0, 1.0), 5, 0.01, noise=2.0, seed=3)
    b = ls.run_one("rugged", "GD", (1.0, 1.0), 5, 0.01, noise=2.0, seed=3)
    c = ls.run_one("rugged", "GD", (1.0, 1.0), 5, 0.01, noise=2.0, seed=4)
    assert np.array_equal(a.theta, b.theta)
    assert not np.array_equal(a.theta, c.theta)
    # GD's first step is -lr (grad + noise * z) with z the seed's draws.
    z = np.random.default_rng(3).standard_normal(2)
    g = ls.get("rugged").gradient((1.0, 1.0))
    assert np.allclose(a.theta[1], np.array([1.0, 1.0]) - 0.01 * (g + 2 * z))


def test_truncate_keeps_divergence_only_if_it_happened_in_time():
    run = Run(np.zeros((4, 2)), np.array([1.0, 2.0, 3.0, np.inf]), 3)
    assert ls.truncate(run, 2).diverged_at is None
    assert ls.truncate(run, 2).steps == 2
    assert ls.truncate(run, 3).diverged_at == 3


def test_bad_settings_are_refused_with_the_argument_named():
    with pytest.raises(ValueError, match="steps"):
        ls.run_one("valley", "GD", (0.0, 0.0), -1, 0.1)
    with pytest.raises(ValueError, match="start"):
        ls.run_one("valley", "GD", (0.0, 0.0, 0.0), 5, 0.1)
    with pytest.raises(ValueError, match="noise"):
        ls.run_one("valley", "GD", (0.0, 0.0), 5, 0.1, noise=-1.0)
    with pytest.raises(ValueError, match="lr"):
        ls.run_one("valley", "GD", (0.0, 0.0), 5, 0.0)


# --- outcomes -------------------------------------------------------------

def test_outcome_reports_divergence_and_leaving_the_view():
    land = ls.get("himmelblau")
    run = ls.run_one(land, "GD", (4.0, 4.0), 100, lr=0.5)
    assert run.diverged_at is not None
    text = ls.outcome(land, run)
    assert f"diverged at step {run.diverged_at}" in text
    left = ls.left_view_at(land, run)
    assert 0 < left <= run.diverged_at
    assert text.startswith(f"left the view at step {left}")
    assert not land.inside(run.theta[left])[0]
    assert land.inside(run.theta[left - 1])[0]


def test_outcome_when_a_path_leaves_and_comes_back():
    land = ls.get("saddle")
    theta = np.array([[0.5, 0.5], [3.0, 0.5], [0.0, 1.0]])
    run = Run(theta, land.f(theta[:, 0], theta[:, 1]), None)
    assert ls.left_view_at(land, run) is None
    assert ls.outcome(land, run) == "at the minimum (0.00, 1.00)"


def test_outcome_for_a_start_off_the_view():
    land = ls.get("saddle")
    run = ls.run_one(land, "GD", (5.0, 0.0), 3, lr=0.01)
    assert ls.left_view_at(land, run) == 0
    assert ls.outcome(land, run) == "outside the view from the start"


def test_outcome_names_minima_saddles_and_plain_values():
    saddle = ls.get("saddle")
    stalled = ls.run_one(saddle, "GD", (1.5, 0.0), 200, lr=0.1)
    assert ls.outcome(saddle, stalled) == "stalled at the saddle (0.00, 0.00)"
    rugged = ls.get("rugged")
    stuck = ls.run_one(rugged, "GD", rugged.start, 200, lr=0.02)
    assert ls.outcome(rugged, stuck).startswith("stuck in a local minimum")
    short = ls.run_one(rugged, "GD", rugged.start, 1, lr=0.02)
    f_end = rugged.value(short.theta[-1])
    assert ls.outcome(rugged, short).startswith(f"f = {f_end:.3g} at (")


def test_nearest_minimum():
    assert ls.nearest_minimum("himmelblau", (2.5, 2.5)) == (3.0, 2.0)


# --- the claims of Appendices A2 and A3 -----------------------------------

def test_a2_centring_brings_kappa_from_tens_of_thousands_to_about_two():
    x, _ = flipper_and_mass()
    raw = load_penguins().flipper_length_mm / 10
    for data, low, high in ((x, 1.9, 2.0), (raw, 8e4, 9e4)):
        lam = np.linalg.eigvalsh(linear.mse_hessian(data))
        assert low < lam[1] / lam[0] < high
    lam = np.linalg.eigvalsh(linear.mse_hessian(raw))
    assert 1 - 2 * lam[0] / lam[1] > 0.99997


def test_a3_penguin_bowl_beyond_2_over_l_leaves_the_view():
    x, _ = flipper_and_mass()
    L = 2 * np.mean(x ** 2)
    ok = ls.race("penguin", ["GD"], lr=0.45, steps=40)["GD"]
    bad = ls.race("penguin", ["GD"], lr=0.55, steps=40)["GD"]
    assert 0.45 < 2 / L < 0.55
    assert ls.outcome("penguin", ok).startswith("at the minimum")
    assert ls.outcome("penguin", bad).startswith("left the view")


def test_a3_momentum_beats_gd_in_the_valley_and_bears_a_larger_rate():
    runs = ls.race("valley", ["GD", "Momentum"], lr=0.01, steps=100)
    assert runs["Momentum"].loss[-1] < runs["GD"].loss[-1] / 1000
    mu, L = 0.9, ls.VALLEY_CURVATURES[1]
    assert 2 / L < 0.09 < 2 * (1 + mu) / L
    runs = ls.race("valley", ["GD", "Momentum"], lr=0.09, steps=100)
    assert ls.left_view_at("valley", runs["GD"]) is not None
    assert runs["Momentum"].loss[-1] < 0.01


def test_a3_rosenbrock_momentum_gets_further_and_adam_steps_about_lr():
    runs = ls.race("rosenbrock", ["GD", "Momentum", "Adam"], lr=1e-3,
                   steps=300)
    assert runs["Momentum"].loss[-1] < runs["GD"].loss[-1] / 100
    steps = np.abs(np.diff(runs["Adam"].theta, axis=0))
    assert steps.max() <= 1e-3 * (1 + 1e-6)
    assert runs["Adam"].loss[-1] > runs["GD"].loss[-1]


def test_a3_himmelblau_start_decides_the_minimum():
    land = ls.get("himmelblau")
    ends = set()
    for start in [(0.5, 0.0), (-1.0, 0.0), (0.0, -1.0), (-0.3, -0.9)]:
        run = ls.run_one(land, "GD", start, 150, lr=0.01)
        assert ls.outcome(land, run).startswith("at the minimum")
        ends.add(ls.nearest_minimum(land, run.theta[-1]))
    assert ends == set(land.minima)
    runs = ls.race(land, ["GD", "Momentum"], start=(0.0, 0.0), lr=0.01,
                   steps=150)
    gd, mom = (ls.nearest_minimum(land, r.theta[-1]) for r in runs.values())
    assert gd != mom


def test_a3_saddle_adam_escapes_first_and_noise_frees_the_ridge():
    runs = ls.race("saddle", ["GD", "Momentum", "Adam"],
                   start=(1.8, 0.001), lr=0.1, steps=60)
    first = {}
    for name, run in runs.items():
        away = np.abs(run.theta[:, 1]) > 0.5
        first[name] = int(away.argmax()) if away.any() else 10 ** 9
    assert first["Adam"] < first["Momentum"] < first["GD"]
    # GD's y grows by 1 + lr per step: about 70 steps from 0.001 to 1.
    assert 60 < np.log(1000) / np.log(1.1) < 80
    for noise, on_ridge in ((0.0, True), (0.5, False)):
        runs = ls.race("saddle", ["GD", "Adam"], start=(1.8, 0.0), lr=0.1,
                       steps=60, noise=noise)
        for run in runs.values():
            assert (abs(run.theta[-1, 1]) < 1e-12) == on_ridge


def test_a3_noise_helps_momentum_past_the_ripples():
    local = ls.get("rugged").value(RUGGED_LOCAL)
    below = {}
    for name in ("GD", "Momentum"):
        ends = [ls.run_one("rugged", name, (3.3, 2.6), 300, 0.02, noise=2.0,
                           seed=seed).loss[-1] for seed in range(20)]
        below[name] = sum(f < local - 1 for f in ends)
    assert below["Momentum"] >= 18 and below["GD"] <= 2
    quiet = ls.race("rugged", ["GD", "Momentum"], lr=0.02, steps=300)
    for run in quiet.values():
        assert ls.outcome("rugged", run).startswith("stuck in a local")


RUGGED_LOCAL = (3.7937, 1.9021)
