"""Tests for utils.quadratic: the stability claims of Chapter 2.

Expected values come from hand formulas (the eigenvalues of a symmetric
2x2 matrix, 2 mean(x^2) for centred x) or from np.linalg, never from the
module under test.
"""

import itertools
import math

import numpy as np
import pytest

from utils import linear
from utils import quadratic as quad
from utils.data import flipper_and_mass, load_penguins
from utils.gradcheck import numerical_gradient
from utils.training import fit_linear

BOWL = np.array([[5.5, 4.5], [4.5, 5.5]])  # eigenvalues 5.5 +- 4.5


@pytest.fixture(scope="module")
def data():
    return flipper_and_mass()


@pytest.fixture(scope="module")
def raw_x():
    return load_penguins().flipper_length_mm / 10.0


@pytest.fixture(scope="module")
def data_L(data):
    """L of the centred data by the hand formula: H is diagonal."""
    x, _ = data
    return 2.0 * np.mean(x ** 2)


def hand_eigenvalues(A):
    """Eigenvalues of a symmetric 2x2 matrix: m +- sqrt(m^2 - det)."""
    m = 0.5 * (A[0, 0] + A[1, 1])
    det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
    r = math.sqrt(m * m - det)
    return m - r, m + r


# --- the Quadratic ---------------------------------------------------------

def test_bowl_eigenvalues_are_one_and_ten():
    bowl = quad.Quadratic(BOWL)
    assert bowl.mu == pytest.approx(1.0, rel=1e-12)
    assert bowl.L == pytest.approx(10.0, rel=1e-12)
    assert bowl.kappa == pytest.approx(10.0, rel=1e-12)


@pytest.mark.parametrize("A", [[[2.0, 0.3], [0.3, 1.0]],
                               [[7.0, -2.0], [-2.0, 3.0]],
                               [[1.0, 0.0], [0.0, 1.0]]])
def test_eigenvalues_match_the_hand_formula(A):
    A = np.array(A)
    mu, L = hand_eigenvalues(A)
    assert quad.curvatures(A) == pytest.approx((mu, L), rel=1e-12)


def test_loss_and_gradient_with_an_offset_minimiser():
    q = quad.Quadratic(BOWL, theta_star=(1.0, -2.0), f_star=3.0)
    assert q.loss([1.0, -2.0]) == 3.0
    theta = np.array([0.3, 0.4])
    e = theta - np.array([1.0, -2.0])
    assert q.loss(theta) == pytest.approx(3.0 + 0.5 * e @ BOWL @ e)
    assert q.grad(theta) == pytest.approx(
        numerical_gradient(q.loss, theta), rel=1e-6)


def test_loss_broadcasts_over_a_grid():
    q = quad.Quadratic(BOWL, theta_star=(1.0, -2.0))
    gx, gy = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(0, 2, 3))
    values = q.loss(np.stack([gx, gy]))
    assert values.shape == gx.shape
    for i in range(gx.shape[0]):
        for j in range(gx.shape[1]):
            assert values[i, j] == pytest.approx(q.loss([gx[i, j],
                                                         gy[i, j]]))


def test_eigen_components_are_coordinates_in_the_eigenbasis():
    q = quad.Quadratic(BOWL)
    z = q.eigen_components([[1.0, 1.0], [1.0, -1.0]])
    # (1, 1) lies along the eigenvector of L = 10 (second column),
    # (1, -1) along that of mu = 1 (first column). The signs are fixed:
    # the first of the largest entries of each eigenvector is positive,
    # so the eigenvectors are (1, -1)/sqrt(2) and (1, 1)/sqrt(2).
    assert abs(z[0, 0]) < 1e-12 and z[0, 1] == pytest.approx(2 ** .5)
    assert abs(z[1, 1]) < 1e-12 and z[1, 0] == pytest.approx(2 ** .5)


@pytest.mark.parametrize("A", [BOWL, [[2.0, 0.3], [0.3, 1.0]],
                               [[3.0, -1.0], [-1.0, 3.0]]])
def test_eigen_components_do_not_depend_on_the_lapack_signs(
        monkeypatch, A):
    """Another LAPACK may return -v, or v with its entries rounded the
    other way; the components must come out the same."""
    A = np.array(A)
    q = quad.Quadratic(A)
    points = np.array([[1.0, 0.5], [-2.0, 3.0], [0.3, -0.7]])
    want = q.eigen_components(points)
    true_eigh = np.linalg.eigh
    values, vectors = true_eigh(A)
    flips = ([1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0])
    for flip, smaller in itertools.product(flips, (0, 1)):
        # Round one row's entries an ulp towards 0, the other's an ulp
        # away from it: where two entries had the same size, the tie now
        # breaks towards the other row.
        bent = vectors * flip
        away = np.copysign(np.inf, bent)
        bent = np.where(np.arange(2)[:, None] == smaller,
                        np.nextafter(bent, 0.0), np.nextafter(bent, away))
        monkeypatch.setattr(np.linalg, "eigh",
                            lambda a, bent=bent: (values, bent))
        got = q.eigen_components(points)
        monkeypatch.setattr(np.linalg, "eigh", true_eigh)
        assert np.allclose(got, want, rtol=1e-12, atol=1e-12)


def test_eigen_component_signs_follow_the_largest_entry():
    # Eigenvectors of [[2, 0.3], [0.3, 1]] have a clear largest entry.
    A = np.array([[2.0, 0.3], [0.3, 1.0]])
    q = quad.Quadratic(A)
    _, vectors = np.linalg.eigh(A)
    for i in range(2):
        v = vectors[:, i]
        v = v * np.sign(v[np.argmax(np.abs(v))])
        # The component of theta_star + v along its own eigenvector is +1.
        assert q.eigen_components(v)[i] == pytest.approx(1.0)


@pytest.mark.parametrize("A, name", [
    ([[1.0, 2.0, 3.0]], "A"),                 # not square
    ([[1.0, 0.5], [0.0, 1.0]], "symmetric"),  # not symmetric
    ([[1.0, 0.0], [0.0, -1.0]], "positive"),  # not positive definite
    ([[1.0, np.nan], [np.nan, 1.0]], "A"),    # not finite
    ("abc", "A"),
])
def test_bad_matrices_are_refused(A, name):
    with pytest.raises(ValueError, match=name):
        quad.Quadratic(A)


def test_bad_minimiser_is_refused():
    with pytest.raises(ValueError, match="theta_star"):
        quad.Quadratic(BOWL, theta_star=(1.0, 2.0, 3.0))


@pytest.mark.parametrize("theta0", [(1.0, 2.0, 3.0), (1.0,), [[1.0, 2.0]],
                                    "ab", (np.nan, 1.0)])
def test_descend_names_a_bad_start(theta0):
    with pytest.raises(ValueError, match="^theta0 "):
        quad.Quadratic(BOWL).descend(0.1, 5, theta0)


def test_the_data_functions_name_a_bad_start(data):
    x, y = data
    for call in (lambda: quad.final_loss(x, y, 0.1, 5, (0.0, 0.0, 1.0)),
                 lambda: quad.diverges(x, y, 0.1, 5, (0.0,)),
                 lambda: quad.lr_sweep(x, y, [0.1], 5, ("a", 0.0))):
        with pytest.raises(ValueError, match="^theta0 "):
            call()


# --- the Chapter 1 cost as a quadratic --------------------------------------

def test_linear_cost_equals_the_mean_squared_error(data):
    x, y = data
    cost = quad.linear_cost(x, y)
    rng = np.random.default_rng(2)
    for w, b in rng.normal(size=(5, 2)) * 3:
        assert cost.loss([w, b]) == pytest.approx(linear.mse(w, b, x, y),
                                                  rel=1e-12)


def test_data_curvatures_match_the_hand_formula(data, data_L):
    x, y = data
    cost = quad.linear_cost(x, y)
    assert cost.L == pytest.approx(data_L, rel=1e-12)
    assert cost.mu == pytest.approx(2.0, rel=1e-12)
    assert cost.L == pytest.approx(3.943, abs=5e-4)
    assert quad.stability_bound(cost.L) == pytest.approx(0.507, abs=5e-4)


def test_uncentred_x_is_badly_conditioned(raw_x, data, data_L):
    _, y = data
    H = 2.0 * np.array([[np.mean(raw_x ** 2), np.mean(raw_x)],
                        [np.mean(raw_x), 1.0]])
    mu, L = np.linalg.eigvalsh(H)
    raw = quad.linear_cost(raw_x, y)
    assert (raw.mu, raw.L) == pytest.approx((mu, L), rel=1e-9)
    assert 5e4 < raw.kappa < 2e5
    assert quad.stability_bound(raw.L) < 0.0025
    # "about 200 times steeper than before (L = 813 instead of 3.94)"
    assert 180 < L / data_L < 220
    assert round(L) == 813 and round(data_L, 2) == 3.94
    # "mu ~ 0.0097: at lr = 0.002 its factor is 1 - 0.002 mu ~ 0.99998"
    assert round(mu, 4) == 0.0097
    assert round(1.0 - 0.002 * mu, 5) == 0.99998


# --- the stability functions ------------------------------------------------

def test_step_factor_keeps_the_learning_rate():
    assert quad.step_factor(0.1, 3.0) == pytest.approx(0.7)
    assert quad.step_factor(0.45, 4.0) == pytest.approx(-0.8)
    assert quad.step_factor(0.1, [1.0, 10.0]) == pytest.approx([0.9, 0.0])


def test_contraction_factor_is_the_size_of_the_step_factor():
    assert quad.contraction_factor(0.45, 4.0) == pytest.approx(0.8)
    assert quad.contraction_factor(0.6, 4.0) == pytest.approx(1.4)
    assert np.allclose(quad.contraction_factor(0.3, [1.0, 5.0]), [0.7, 0.5])


def test_the_optimal_rate_gives_the_kappa_factor():
    for L, mu in ((10.0, 1.0), (3.943, 2.0), (813.0, 0.0097)):
        lr = quad.optimal_lr(L, mu)
        assert lr == pytest.approx(2.0 / (L + mu))
        kappa = L / mu
        factor = (kappa - 1) / (kappa + 1)
        assert quad.optimal_factor(L, mu) == pytest.approx(factor)
        assert quad.convergence_factor(lr, L, mu) == pytest.approx(factor)
        assert quad.contraction_factor(lr, L) == pytest.approx(factor)
        assert quad.contraction_factor(lr, mu) == pytest.approx(factor)
        # Any other rate is worse in the worst direction.
        for other in (0.9 * lr, 1.1 * lr):
            assert quad.convergence_factor(other, L, mu) > factor


def test_convergence_factor_is_below_one_exactly_inside_the_bound():
    L, mu = 10.0, 1.0
    for lr in np.linspace(0.001, 0.4, 400):
        inside = lr < 2.0 / L
        if abs(lr - 2.0 / L) > 1e-9:
            assert (quad.convergence_factor(lr, L, mu) < 1.0) == inside


@pytest.mark.parametrize("lr, want", [(0.05, "monotone"), (0.1, "monotone"),
                                      (0.15, "oscillating"),
                                      (0.2, "bouncing"),
                                      (0.21, "diverging")])
def test_regime(lr, want):
    assert quad.regime(lr, 10.0) == want


def smallest_k(eps, q):
    """The smallest k with q ** k <= eps, by counting up."""
    k = 1
    while q ** k > eps:
        k += 1
    return k


def test_steps_needed_is_the_smallest_sufficient_count():
    for eps, L, mu in ((1e-6, 3.943, 2.0), (1e-3, 10.0, 1.0),
                       (1e-2, 100.0, 1.0), (0.5, 3.0, 1.0)):
        k = quad.steps_needed(eps, L, mu)
        q = (L - mu) / (L + mu)
        assert q ** k <= eps < q ** (k - 1)
        assert k == smallest_k(eps, q)
    assert quad.steps_needed(1e-6, 2.0, 2.0) == 1


@pytest.mark.parametrize("eps", [
    # L = 3, mu = 1: q = 1/2. At eps = 2**-29 the quotient of logarithms
    # rounds up past 29, so the ceiling is one too many ...
    0.5 ** 29,
    # ... and an ulp below 2**-4 it rounds down to 4, one too few.
    float(np.nextafter(0.5 ** 4, 0.0)),
])
def test_steps_needed_at_an_exact_power_of_q(eps):
    q = 0.5
    naive = math.ceil(math.log(eps) / math.log(q))
    want = smallest_k(eps, q)
    assert naive != want  # the case the guards in steps_needed are for
    assert quad.steps_needed(eps, 3.0, 1.0) == want


def test_steps_needed_on_the_data_by_running(data):
    x, y = data
    cost = quad.linear_cost(x, y)
    k = quad.steps_needed(1e-6, cost.L, cost.mu)
    run = fit_linear(x, y, lr=quad.optimal_lr(cost.L, cost.mu), steps=k)
    d = np.linalg.norm(run.theta - cost.theta_star, axis=1) / np.linalg.norm(
        run.theta[0] - cost.theta_star)
    assert d[k] <= 1e-6 < d[k - 1]


# --- the claims about running -----------------------------------------------

def test_on_the_bowl_just_below_converges_just_above_diverges():
    bowl = quad.Quadratic(BOWL)
    start = np.array([-3.0, 0.5])
    below = bowl.descend(0.99 * 2 / 10.0, 2000, start)
    above = bowl.descend(1.01 * 2 / 10.0, 2000, start)
    assert np.linalg.norm(below.theta[-1]) < 1e-6
    assert np.linalg.norm(above.theta[-1]) > 1e6


def test_between_1_over_L_and_2_over_L_the_top_component_oscillates():
    bowl = quad.Quadratic(BOWL)
    run = bowl.descend(0.15, 60, (-3.0, 0.5))  # lr * L = 1.5
    z_top = bowl.eigen_components(run.theta)[:, 1]
    signs = np.sign(z_top[:20])
    assert np.all(signs[1:] == -signs[:-1])                # flips sign
    assert np.all(np.abs(z_top[1:20]) < np.abs(z_top[:19]))  # shrinks
    assert z_top[1:20] / z_top[:19] == pytest.approx(1 - 0.15 * 10.0)
    assert np.linalg.norm(run.theta[-1]) < 1e-3            # converges


def test_on_the_data_just_below_converges_just_above_diverges(data, data_L):
    x, y = data
    bound = 2.0 / data_L
    cost = quad.linear_cost(x, y)
    below = fit_linear(x, y, lr=0.99 * bound, steps=1000)
    above = fit_linear(x, y, lr=1.01 * bound, steps=1000)
    start = cost.excess([0.0, 0.0])
    assert cost.excess(below.theta[-1]) < 1e-10 * start
    assert cost.excess(above.theta[-1]) > 1e6 * start
    assert not quad.diverges(x, y, 0.99 * bound, 1000)
    assert quad.diverges(x, y, 1.01 * bound, 1000)


def test_final_loss_agrees_with_fit_linear(data):
    x, y = data
    for lr in (0.01, 0.3, 0.55):
        run = fit_linear(x, y, lr=lr, steps=40)
        assert quad.final_loss(x, y, lr, 40) == pytest.approx(run.loss[-1],
                                                              rel=1e-9)


def test_diverges_means_ending_no_lower_than_the_start(data):
    x, y = data
    start = linear.mse(0.0, 0.0, x, y)
    seen = set()
    for lr in np.linspace(0.5, 0.7, 81):
        end = fit_linear(x, y, lr=lr, steps=30).loss[-1]
        assert quad.diverges(x, y, lr, 30) == (end >= start)
        seen.add((end >= start, end < 2 * start))
    # The grid holds runs that end below the start, and runs that end
    # above it but below twice the start.
    assert {(False, True), (True, True)} <= seen


def test_final_loss_is_inf_when_the_run_blows_up(data):
    x, y = data
    assert quad.final_loss(x, y, 100.0, 300) == math.inf
    assert quad.diverges(x, y, 100.0, 300)


def test_measured_threshold_matches_2_over_L(data, data_L):
    x, y = data
    bound = 2.0 / data_L
    gap = {steps: quad.divergence_threshold(x, y, lo=0.1, hi=1.0,
                                            steps=steps) / bound - 1.0
           for steps in (1000, 2000, 4000)}
    # "They agree to about 5e-4."
    assert 4e-4 < gap[2000] < 6e-4
    # A finite run cannot see divergence right above the bound, so the
    # measurement errs on the high side, and "doubling the steps halves
    # the gap".
    assert gap[4000] > 0
    assert 1.8 <= gap[1000] / gap[2000] <= 2.2
    assert 1.8 <= gap[2000] / gap[4000] <= 2.2


def test_threshold_needs_a_true_bracket(data):
    x, y = data
    with pytest.raises(ValueError, match="lo"):
        quad.divergence_threshold(x, y, lo=0.6, hi=1.0, steps=200)
    with pytest.raises(ValueError, match="hi"):
        quad.divergence_threshold(x, y, lo=0.1, hi=0.2, steps=200)
    with pytest.raises(ValueError, match="lo must be below hi"):
        quad.divergence_threshold(x, y, lo=0.3, hi=0.2, steps=200)


# --- the sweep ---------------------------------------------------------------

def test_sweep_records_each_run(data):
    x, y = data
    lrs = [0.01, 0.3, 0.6]
    sweep = quad.lr_sweep(x, y, lrs, steps=20)
    w_star, b_star = linear.least_squares(x, y)
    J_star = linear.mse(w_star, b_star, x, y)
    for i, lr in enumerate(lrs):
        run = fit_linear(x, y, lr=lr, steps=20)
        assert sweep.final_loss[i] == run.loss[-1]
        assert sweep.excess[i] == pytest.approx(run.loss[-1] - J_star,
                                                rel=1e-6, abs=1e-12)
    assert list(sweep.diverged_at) == [-1, -1, -1]
    assert sweep.start_excess == pytest.approx(linear.mse(0, 0, x, y)
                                               - J_star)


def test_sweep_records_where_a_run_diverged(data):
    x, y = data
    sweep = quad.lr_sweep(x, y, [0.1, 100.0], steps=100)
    run = fit_linear(x, y, lr=100.0, steps=100)
    assert run.diverged_at is not None
    assert sweep.diverged_at[1] == run.diverged_at
    assert sweep.final_loss[1] == math.inf


@pytest.fixture(scope="module")
def chapter_sweep(data, data_L):
    """Chapter 2's sweep: 61 rates from 1e-3 to 1, and 2/(L + mu)."""
    x, y = data
    best = 2.0 / (data_L + 2.0)  # mu = 2 for centred x
    even = np.geomspace(1e-3, 1.0, 61)
    lrs = np.sort(np.append(even, best))
    return quad.lr_sweep(x, y, lrs, steps=20), best, even


def test_sweep_crawls_at_small_rates(chapter_sweep):
    sweep, _, _ = chapter_sweep
    kept = sweep.excess / sweep.start_excess
    # "At 0.001 the runs keep about 90% of the excess they started with,
    # and at 0.01 still about half."
    assert 0.85 < kept[0] < 0.95 and sweep.lr[0] == pytest.approx(1e-3)
    at = np.flatnonzero(np.isclose(sweep.lr, 0.01))
    assert at.size == 1 and 0.4 < kept[at[0]] < 0.6


def test_sweep_falls_to_2_over_l_plus_mu_then_rises(chapter_sweep, data_L):
    sweep, best, _ = chapter_sweep
    lr, excess = sweep.lr, sweep.excess
    # It goes on falling past 1/L, to 2/(L + mu) ...
    falling = (lr >= 0.01) & (lr <= best)
    assert lr[falling].min() < 1.0 / data_L < lr[falling].max()
    assert np.all(np.diff(excess[falling]) < 0)
    # ... and rises after it, up to 2/L and beyond.
    rising = lr >= best
    assert np.all(np.diff(excess[rising]) > 0)
    assert lr[np.argmin(excess)] == best
    # Both ranges quoted in the review: [0.01, 0.33] and [0.36, 2/L).
    assert np.all(np.diff(excess[(lr >= 0.01) & (lr <= 0.33)]) < 0)
    assert np.all(np.diff(excess[(lr >= 0.36) & (lr < 2 / data_L)]) > 0)


def test_sweep_between_the_bound_and_beyond(chapter_sweep, data_L):
    sweep, _, _ = chapter_sweep
    lrs, bound = sweep.lr, 2.0 / data_L
    assert np.all(sweep.excess[lrs > 1.2 * bound] > sweep.start_excess)
    assert np.all(sweep.excess[(lrs > 0.01) & (lrs < bound)]
                  < sweep.start_excess)


def test_without_the_best_rate_the_grid_spacing_decides(chapter_sweep):
    sweep, best, even = chapter_sweep
    on_grid = np.isin(sweep.lr, even)
    runner_up = np.argmin(np.where(on_grid, sweep.excess, np.inf))
    lr = sweep.lr[runner_up]
    # "0.355, 5% above it; the next one down is 6% below"
    assert round(lr, 3) == 0.355
    assert 1.04 < lr / best < 1.06
    below = even[even < best].max()
    assert 0.93 < below / best < 0.95
    # "some 80 times higher than 2/(L + mu) itself"
    ratio = sweep.excess[runner_up] / sweep.excess[sweep.lr == best][0]
    assert 70 < ratio < 90
    # The evenly spaced rates step by 12%.
    assert np.allclose(even[1:] / even[:-1], 10 ** 0.05)
    assert round(10 ** 0.05 - 1, 2) == 0.12


def test_b_settles_within_four_steps_at_the_larger_rates(data):
    x, y = data
    cost = quad.linear_cost(x, y)
    w_star, b_star = cost.theta_star
    best = quad.optimal_lr(cost.L, cost.mu)
    for lr in (best, 0.45, 0.55):
        assert abs(1.0 - 2.0 * lr) <= 1 / 3  # shrinks at least threefold
        run = fit_linear(x, y, lr=lr, steps=20)
        b = run.theta[:, 1]
        assert abs(b[4] - b_star) < 0.02 * abs(b[0] - b_star)
        # w zigzags: w - w* changes sign at every step.
        signs = np.sign(run.theta[:8, 0] - w_star)
        assert np.all(signs[1:] == -signs[:-1])
    slow = fit_linear(x, y, lr=0.02, steps=4).theta[:, 1]
    assert abs(slow[4] - b_star) > 0.8 * abs(slow[0] - b_star)


# --- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("lr", [0.0, -0.1, math.nan, math.inf, "0.1", None])
def test_bad_learning_rates_name_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        quad.step_factor(lr, 1.0)
    with pytest.raises(ValueError, match="lr"):
        quad.regime(lr, 1.0)
    with pytest.raises(ValueError, match="lr"):
        quad.convergence_factor(lr, 2.0, 1.0)


def test_bad_learning_rate_in_a_sweep_names_its_position(data):
    x, y = data
    with pytest.raises(ValueError, match=r"lrs\[1\]"):
        quad.lr_sweep(x, y, [0.1, 0.0], steps=5)
    with pytest.raises(ValueError, match="lrs"):
        quad.lr_sweep(x, y, [0.1, math.nan], steps=5)


def test_bad_learning_rate_when_running(data):
    x, y = data
    with pytest.raises(ValueError, match="lr"):
        quad.final_loss(x, y, -1.0, 10)
    with pytest.raises(ValueError, match="hi"):
        quad.divergence_threshold(x, y, lo=0.1, hi=math.inf)


@pytest.mark.parametrize("call, name", [
    (lambda: quad.stability_bound(0.0), "L"),
    (lambda: quad.stability_bound(-2.0), "L"),
    (lambda: quad.optimal_lr(1.0, 2.0), "mu"),
    (lambda: quad.optimal_factor(2.0, math.nan), "mu"),
    (lambda: quad.steps_needed(1.5, 2.0, 1.0), "eps"),
    (lambda: quad.steps_needed(0.0, 2.0, 1.0), "eps"),
    (lambda: quad.step_factor(0.1, -1.0), "lam"),
])
def test_other_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()
