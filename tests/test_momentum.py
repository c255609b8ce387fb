"""Tests for utils.momentum: the claims of Chapter 4.

Expected values come from hand formulas (the roots of a quadratic, the
eigenvalues of a symmetric 2x2 matrix, geometric series), np.linalg, or
runs of update rules written out here, never from the module under test.
"""

import math

import numpy as np
import pytest

from utils import momentum as mom
from utils import quadratic as quad
from utils.data import flipper_and_mass, load_penguins
from utils.optimizers import SGD
from utils.plotting import momentum as mplot
from utils.training import descend

STEPS = 3000
THETA0 = (0.0, 0.0)


@pytest.fixture(scope="module")
def raw():
    """The uncentred penguin cost of Chapters 2 and 4."""
    _, y = flipper_and_mass()
    x = load_penguins().flipper_length_mm / 10.0
    return quad.linear_cost(x, y)


@pytest.fixture(scope="module")
def hand(raw):
    """L and mu of the uncentred cost by the 2x2 formula m +- sqrt(...)."""
    _, y = flipper_and_mass()
    x = load_penguins().flipper_length_mm / 10.0
    a, c, d = 2 * np.mean(x * x), 2 * np.mean(x), 2.0
    m = (a + d) / 2
    r = math.sqrt(m * m - (a * d - c * c))
    return m + r, m - r


@pytest.fixture(scope="module")
def runs(raw, hand):
    L, mu = hand
    lr_star = 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    beta_star = ((math.sqrt(L / mu) - 1) / (math.sqrt(L / mu) + 1)) ** 2
    beta_n = (math.sqrt(L / mu) - 1) / (math.sqrt(L / mu) + 1)

    def go(lr, beta, nesterov=False):
        opt = (SGD(lr=lr) if beta == 0 else
               SGD(lr=lr, momentum=beta, nesterov=nesterov))
        return descend(raw.loss, raw.grad, THETA0, STEPS, opt)

    return {"gd": go(1 / L, 0.0), "heavy": go(1 / L, 0.99),
            "gd_best": go(2 / (L + mu), 0.0),
            "polyak": go(lr_star, beta_star),
            "hb_n": go(1 / L, beta_n), "nesterov": go(1 / L, beta_n, True)}


def excess(raw, run):
    e = run.theta - raw.theta_star
    return 0.5 * np.einsum("ti,ij,tj->t", e, raw.A, e)


def distance(raw, run):
    return np.linalg.norm(run.theta - raw.theta_star, axis=1)


# --- the chapter's problem ---------------------------------------------------

def test_the_uncentred_cost_is_ill_conditioned(raw, hand):
    L, mu = hand
    assert raw.L == pytest.approx(L, rel=1e-10)
    assert raw.mu == pytest.approx(mu, rel=1e-6)
    assert L == pytest.approx(813.27, abs=0.005)
    assert mu == pytest.approx(0.0097, abs=0.00005)
    assert 8.35e4 < L / mu < 8.45e4


def test_gradient_descent_crawls_and_momentum_arrives(raw, runs):
    gd, heavy = runs["gd"], runs["heavy"]
    # b covers about 3% of the way to b* = -5.78 without momentum.
    assert -0.2 < gd.theta[-1, 1] < -0.18
    assert raw.theta_star[1] == pytest.approx(-5.781, abs=5e-4)
    e_gd, e_heavy = excess(raw, gd), excess(raw, heavy)
    assert 0.16 < e_gd[1] < 0.17 and 0.15 < e_gd[-1] < 0.155
    assert 5e-5 < e_heavy[-1] < 7e-5
    d_gd, d_heavy = distance(raw, gd), distance(raw, heavy)
    assert d_gd[0] == pytest.approx(5.80, abs=0.005)
    assert d_gd[-1] > 5.5 and 0.1 < d_heavy[-1] < 0.12


def test_inline_velocity_loop_equals_sgd(raw, runs):
    lr, beta = 1 / raw.L, 0.99
    theta, u = np.array(THETA0), np.zeros(2)
    path = [theta]
    for _ in range(STEPS):
        u = beta * u + raw.grad(theta)
        theta = theta - lr * u
        path.append(theta)
    np.testing.assert_array_equal(np.array(path), runs["heavy"].theta)


def test_heavy_ball_recursion_gives_the_same_iterates(raw, runs):
    lr, beta = 1 / raw.L, 0.99
    p = [np.array(THETA0)]
    p.append(p[0] - lr * raw.grad(p[0]))
    for t in range(1, STEPS):
        p.append(p[t] - lr * raw.grad(p[t]) + beta * (p[t] - p[t - 1]))
    np.testing.assert_allclose(p, runs["heavy"].theta, rtol=1e-9)


def test_velocity_of_a_constant_gradient_tends_to_one_over_one_minus_beta():
    # SGD(momentum=beta) on a constant gradient g: its buffer starts at g,
    # so after t + 1 gradients u = g (1 - beta^(t+1)) / (1 - beta), and
    # each step is lr * u, tending to lr * g / (1 - beta).
    lr, beta, g = 0.01, 0.99, 3.0
    theta = np.zeros(1)
    optimizer = SGD(lr=lr, momentum=beta)
    steps = []
    for _ in range(2000):
        before = theta.copy()
        optimizer.step([theta], [np.array([g])])
        steps.append(before[0] - theta[0])
    t = np.arange(2000)
    np.testing.assert_allclose(
        steps, lr * g * (1 - beta ** (t + 1)) / (1 - beta), rtol=1e-10)
    assert steps[-1] / (lr * g) == pytest.approx(100.0, rel=1e-8)


def test_valley_factor_and_its_measurement(raw, runs):
    L, mu = raw.L, raw.mu
    lr = 1 / L
    assert mom.spectral_radius(lr, 0.0, mu) == pytest.approx(1 - mu / L)
    rho = mom.spectral_radius(lr, 0.99, mu)
    # the larger real root of r^2 - (1.99 - lr mu) r + 0.99
    a = 1.99 - lr * mu
    assert rho == pytest.approx((a + math.sqrt(a * a - 4 * 0.99)) / 2,
                                rel=1e-12)
    assert 100 < (1 - rho) / (mu / L) < 130
    d = distance(raw, runs["heavy"])
    assert (d[3000] / d[2000]) ** (1 / 1000) == pytest.approx(rho,
                                                              abs=1e-7)
    assert mom.measured_rate(raw, runs["heavy"], 2000, 3000) == \
        pytest.approx((d[3000] / d[2000]) ** (1 / 1000), rel=1e-12)


# --- the 2x2 matrix ----------------------------------------------------------

CASES = [(0.1, 0.9, 3.0), (0.3, 0.5, 2.0), (0.01, 0.99, 1.0),
         (1.5, 0.2, 1.0), (0.2, 0.0, 4.0)]


@pytest.mark.parametrize("lr, beta, lam", CASES)
def test_iteration_matrix_follows_sgd_on_one_eigendirection(lr, beta, lam):
    for nesterov in ((False, True) if beta > 0 else (False,)):
        M = mom.iteration_matrix(lr, beta, lam, nesterov)
        z = np.array([1.0])
        opt = (SGD(lr=lr, momentum=beta, nesterov=nesterov) if beta
               else SGD(lr=lr))
        zs = [z[0]]
        for _ in range(6):
            opt.step([z], [lam * z])
            zs.append(z[0])
        for t in range(1, 6):
            pred = M @ np.array([zs[t], zs[t - 1]])
            assert pred[0] == pytest.approx(zs[t + 1], rel=1e-12,
                                            abs=1e-15)
            assert pred[1] == zs[t]


@pytest.mark.parametrize("lr, beta, lam", CASES)
def test_spectral_radius_matches_numpy(lr, beta, lam):
    for nesterov in (False, True):
        M = mom.iteration_matrix(lr, beta, lam, nesterov)
        want = np.abs(np.linalg.eigvals(M)).max()
        got = mom.spectral_radius(lr, beta, lam, nesterov)
        assert isinstance(got, float)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_hand_built_matrix_is_the_heavy_ball_one():
    lr, beta, lam = 0.1, 0.9, 3.0
    np.testing.assert_array_equal(
        mom.iteration_matrix(lr, beta, lam),
        [[1 + beta - lr * lam, -beta], [1.0, 0.0]])


def test_radius_is_sqrt_beta_where_roots_are_complex():
    for beta in (0.25, 0.5, 0.9):
        lo, hi = (1 - math.sqrt(beta)) ** 2, (1 + math.sqrt(beta)) ** 2
        s = np.linspace(lo, hi, 52)[1:-1]
        np.testing.assert_allclose(mom.spectral_radius(1.0, beta, s),
                                   math.sqrt(beta), rtol=1e-12)
        outside = np.array([lo / 2, (hi + 2 + 2 * beta) / 2])
        assert np.all(mom.spectral_radius(1.0, beta, outside)
                      > math.sqrt(beta))


def test_beta_zero_is_gradient_descent():
    s = np.linspace(0.05, 2.5, 50)
    np.testing.assert_allclose(mom.spectral_radius(1.0, 0.0, s),
                               np.abs(1 - s), atol=1e-12)


# --- the stability region ----------------------------------------------------

@pytest.mark.parametrize("beta", [0.0, 0.3, 0.5, 0.9, 0.99])
def test_stability_bound_is_where_the_radius_reaches_one(beta):
    limit = 2 + 2 * beta
    assert mom.stability_bound(beta) == pytest.approx(limit)
    assert mom.stability_bound(beta, 4.0) == pytest.approx(limit / 4)
    assert mom.spectral_radius(1.0, beta, limit) == pytest.approx(1.0)
    assert mom.spectral_radius(1.0, beta, 0.999 * limit) < 1.0
    assert mom.spectral_radius(1.0, beta, 1.001 * limit) > 1.0
    s = np.linspace(0.001, 0.999, 200) * limit
    assert np.all(mom.spectral_radius(1.0, beta, s) < 1.0)


@pytest.mark.parametrize("beta", [0.1, 0.5, 0.9])
def test_nesterov_bound_is_where_its_radius_reaches_one(beta):
    limit = (2 + 2 * beta) / (1 + 2 * beta)
    assert mom.stability_bound(beta, nesterov=True) == pytest.approx(limit)
    assert mom.spectral_radius(1.0, beta, 0.999 * limit, True) < 1.0
    assert mom.spectral_radius(1.0, beta, 1.001 * limit, True) > 1.0


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_runs_converge_just_inside_and_diverge_just_outside(raw, beta):
    start = raw.excess(np.array(THETA0))
    limit = (2 + 2 * beta) / raw.L
    inside = mom.final_excess(raw, 0.99 * limit, beta, STEPS, THETA0)
    outside = mom.final_excess(raw, 1.01 * limit, beta, STEPS, THETA0)
    assert inside < start
    assert outside > 1e40 * start


def test_nesterov_runs_at_its_bound(raw):
    start = raw.excess(np.array(THETA0))
    limit = 3.8 / 2.8 / raw.L
    assert mom.final_excess(raw, 0.99 * limit, 0.9, STEPS, THETA0,
                            nesterov=True) < start
    assert mom.final_excess(raw, 1.01 * limit, 0.9, STEPS, THETA0,
                            nesterov=True) > 1e40 * start


def test_momentum_allows_a_larger_rate_than_gradient_descent(raw):
    # 3/L is past gradient descent's 2/L but inside (2 + 2*0.9)/L.
    start = raw.excess(np.array(THETA0))
    assert mom.final_excess(raw, 3 / raw.L, 0.0, 500, THETA0) > start
    assert mom.final_excess(raw, 3 / raw.L, 0.9, 500, THETA0) < start


# --- Polyak's pair -----------------------------------------------------------

def test_optimal_params_hand_formula(hand):
    L, mu = hand
    lr, beta = mom.optimal_params(L, mu)
    assert lr == pytest.approx(4 / (math.sqrt(L) + math.sqrt(mu)) ** 2)
    k = L / mu
    assert beta == pytest.approx(((math.sqrt(k) - 1) /
                                  (math.sqrt(k) + 1)) ** 2)
    assert mom.optimal_rate(L, mu) == pytest.approx(math.sqrt(beta))
    # the ends of the spectrum sit on the ends of the complex stretch
    assert lr * mu == pytest.approx((1 - math.sqrt(beta)) ** 2, rel=1e-9)
    assert lr * L == pytest.approx((1 + math.sqrt(beta)) ** 2, rel=1e-12)
    assert mom.worst_radius(lr, beta, L, mu) == pytest.approx(
        math.sqrt(beta), rel=1e-6)


def test_chapter_numbers_for_polyak(hand):
    L, mu = hand
    lr, beta = mom.optimal_params(L, mu)
    assert lr == pytest.approx(0.004885, abs=5e-7)
    assert beta == pytest.approx(0.986283, abs=5e-7)
    assert mom.optimal_rate(L, mu) == pytest.approx(0.993118, abs=5e-7)
    assert (L / mu - 1) / (L / mu + 1) == pytest.approx(0.999976, abs=5e-7)


@pytest.mark.parametrize("L, mu", [(10.0, 1.0), (100.0, 1.0),
                                   (813.27, 0.0097)])
def test_no_grid_pair_beats_polyak(L, mu):
    lr_s, beta_s = mom.optimal_params(L, mu)
    rate = mom.optimal_rate(L, mu)
    lrs = lr_s * np.linspace(0.3, 1.7, 300)
    betas = np.concatenate([np.linspace(0.0, 0.98, 100),
                            1 - (1 - beta_s) * np.geomspace(0.05, 20, 200)])
    betas = betas[(betas >= 0) & (betas < 1)]
    best, _, _ = mom.best_on_grid(L, mu, lrs, betas)
    assert best >= rate - 1e-12
    # ... and the grid's best is close to it: the bound is reached.
    assert best < rate + 0.02 * (1 - rate)
    # Independent brute force for the best on the grid.
    worst = np.array([[max(np.abs(np.roots([1, -(1 + b - lr * lam), b]))
                           .max() for lam in (mu, L)) for b in betas[::25]]
                      for lr in lrs[::25]])
    assert worst.min() >= rate - 1e-12


def test_polyak_rate_measured_by_running(raw, runs):
    rate = mom.optimal_rate(raw.L, raw.mu)
    d = distance(raw, runs["polyak"])
    measured = (d[3000] / d[2000]) ** (1 / 1000)
    assert measured > rate
    # the double root makes the error (c0 + c1 t) r^t
    assert measured == pytest.approx(rate * 1.5 ** (1 / 1000), abs=2e-5)
    gd_rate = (raw.kappa - 1) / (raw.kappa + 1)
    assert (1 - measured) > 250 * (1 - gd_rate)


def test_polyak_climbs_first_then_ends_closest(raw, runs):
    e = excess(raw, runs["polyak"])
    rate = mom.optimal_rate(raw.L, raw.mu)
    assert e.max() > 1e4 * e[0]
    # t r^t peaks at t = -1 / ln r
    assert abs(e.argmax() - (-1 / math.log(rate))) <= 3
    assert 5e-10 < e[-1] < 8e-10
    ends = {k: distance(raw, runs[k])[-1]
            for k in ("polyak", "heavy", "gd_best")}
    assert ends["polyak"] < ends["heavy"] < ends["gd_best"]
    assert excess(raw, runs["gd_best"])[-1] > 15


def test_gd_best_rate_bounces_the_steep_component(raw):
    lr = 2 / (raw.L + raw.mu)
    assert 1 - lr * raw.L == pytest.approx(-0.99998, abs=5e-6)


def test_steps_for_a_millionfold(raw):
    q_gd = (raw.kappa - 1) / (raw.kappa + 1)
    k_gd = math.ceil(math.log(1e-6) / math.log(q_gd))
    assert quad.steps_needed(1e-6, raw.L, raw.mu) == k_gd
    rate = mom.optimal_rate(raw.L, raw.mu)
    k_heavy = math.ceil(math.log(1e-6) / math.log(rate))
    assert 2000 <= k_heavy <= 2002
    assert 575_000 < k_gd < 585_000


# --- Nesterov ----------------------------------------------------------------

def test_inline_nesterov_equals_sgd(raw, runs):
    lr, beta = 1 / raw.L, 0.99
    theta, u = np.array(THETA0), np.zeros(2)
    path = [theta]
    for _ in range(STEPS):
        g = raw.grad(theta)
        u = beta * u + g
        theta = theta - lr * (g + beta * u)
        path.append(theta)
    want = descend(raw.loss, raw.grad, THETA0, STEPS,
                   SGD(lr=lr, momentum=beta, nesterov=True))
    np.testing.assert_array_equal(np.array(path), want.theta)


def test_look_ahead_form_is_torchs_form_at_the_look_ahead_point():
    A = np.array([[5.5, 4.5], [4.5, 5.5]])
    lr, beta = 0.05, 0.9
    # Convention (B) with the look-ahead: d <- beta d + lr grad(theta -
    # beta d), theta <- theta - d; its look-ahead point is theta - beta d.
    theta, d = np.array([-3.0, 0.5]), np.zeros(2)
    look = [theta - beta * d]
    for _ in range(40):
        d = beta * d + lr * A @ (theta - beta * d)
        theta = theta - d
        look.append(theta - beta * d)
    p = np.array([-3.0, 0.5])
    opt = SGD(lr=lr, momentum=beta, nesterov=True)
    torch_path = [p.copy()]
    for _ in range(40):
        opt.step([p], [A @ p])
        torch_path.append(p.copy())
    np.testing.assert_allclose(look, torch_path, rtol=1e-10, atol=1e-13)


def test_nesterov_diverges_at_polyaks_pair(raw):
    lr, beta = mom.optimal_params(raw.L, raw.mu)
    assert lr * raw.L > mom.stability_bound(beta, nesterov=True)
    result = mom.run(raw, lr, beta, STEPS, THETA0, nesterov=True)
    assert result.diverged_at is not None


def test_nesterov_kills_the_steep_component_at_lr_one_over_L(raw):
    beta = mom.optimal_rate(raw.L, raw.mu)
    assert mom.spectral_radius(1 / raw.L, beta, raw.L,
                               nesterov=True) == pytest.approx(0, abs=1e-7)
    assert mom.spectral_radius(1 / raw.L, beta, raw.L) == pytest.approx(
        math.sqrt(beta))


def test_nesterov_stays_ahead_of_the_heavy_ball(raw, runs):
    e_hb, e_n = excess(raw, runs["hb_n"]), excess(raw, runs["nesterov"])
    assert e_n[1000] < e_hb[1000] / 5
    assert e_n[-1] < e_hb[-1]
    assert e_n[-1] < 1e-7


# --- the two conventions -----------------------------------------------------

def test_step_decay():
    lrs = mom.step_decay(0.5, 10, drop_at=4, factor=0.1)
    np.testing.assert_allclose(lrs, [0.5] * 4 + [0.05] * 6)


def conventions_by_hand(grad, theta0, lrs, beta):
    a = np.array(theta0, float)
    b_buf = np.zeros_like(a)
    c = a.copy()
    v = np.zeros_like(a)
    pa, pb = [a], [c]
    for lr in lrs:
        b_buf = beta * b_buf + grad(a)
        a = a - lr * b_buf
        v = beta * v + lr * grad(c)
        c = c - v
        pa.append(a)
        pb.append(c)
    return np.array(pa), np.array(pb)


def test_conventions_agree_at_a_constant_rate(raw):
    lrs = np.full(400, 1 / raw.L)
    a, b = mom.run_conventions(raw.grad, THETA0, lrs, 0.9)
    ha, hb = conventions_by_hand(raw.grad, THETA0, lrs, 0.9)
    np.testing.assert_allclose(a, ha, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(b, hb, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_conventions_part_after_a_drop(raw):
    lr = 1 / raw.L
    lrs = np.array([lr] * 300 + [lr / 10] * 100)
    a, b = mom.run_conventions(raw.grad, THETA0, lrs, 0.9)
    np.testing.assert_allclose(a[:301], b[:301], rtol=1e-12, atol=1e-14)
    sa = np.linalg.norm(np.diff(a, axis=0), axis=1)
    sb = np.linalg.norm(np.diff(b, axis=0), axis=1)
    assert sa[300] / sa[299] == pytest.approx(0.1, rel=0.01)
    for k in (1, 10, 30):
        want = 1 + 0.9 ** k * 9
        assert sb[299 + k] / sa[299 + k] == pytest.approx(want, rel=0.01)
    gap = np.linalg.norm(a[-1] - b[-1])
    assert 0.004 < gap < 0.006


@pytest.mark.parametrize("k, beta, lr_old, lr_new",
                         [(1, 0.9, 0.1, 0.01), (7, 0.5, 0.2, 0.1),
                          (3, 0.99, 0.001, 0.01)])
def test_step_ratio_after_drop_matches_a_slope(k, beta, lr_old, lr_new):
    lrs = [lr_old] * 3000 + [lr_new] * k
    a, b = mom.run_conventions(lambda th: np.array([2.0]), [0.0], lrs,
                               beta)
    sa, sb = abs(a[-1, 0] - a[-2, 0]), abs(b[-1, 0] - b[-2, 0])
    assert sa == pytest.approx(lr_new * 2.0 / (1 - beta), rel=1e-9)
    assert mom.step_ratio_after_drop(k, beta, lr_old, lr_new) == \
        pytest.approx(sb / sa, rel=1e-9)


def test_step_lengths():
    np.testing.assert_allclose(
        mom.step_lengths([[0, 0], [3, 4], [3, 5]]), [5.0, 1.0])


# --- argument checks ---------------------------------------------------------

@pytest.mark.parametrize("call, word", [
    (lambda: mom.spectral_radius(0.1, 1.0, 1.0), "beta"),
    (lambda: mom.spectral_radius(0.1, -0.1, 1.0), "beta"),
    (lambda: mom.spectral_radius(0.1, True, 1.0), "beta"),
    (lambda: mom.spectral_radius(0.0, 0.5, 1.0), "lr"),
    (lambda: mom.spectral_radius(0.1, 0.5, -1.0), "lam"),
    (lambda: mom.iteration_matrix(0.1, 0.5, np.nan), "lam"),
    (lambda: mom.optimal_params(1.0, 2.0), "mu"),
    (lambda: mom.stability_bound(0.5, 0.0), "lam"),
    (lambda: mom.step_decay(0.1, 10, 11, 0.1), "drop_at"),
    (lambda: mom.run_conventions(lambda t: t, [0.0], [0.1, -1], 0.5),
     "lrs[1]"),
    (lambda: mom.best_on_grid(10, 1, [0.1], [1.0]), "betas"),
    (lambda: mom.step_ratio_after_drop(0, 0.5, 0.1, 0.01), "k"),
])
def test_bad_arguments_are_named(call, word):
    with pytest.raises(ValueError, match=re_escape(word)):
        call()


def re_escape(word):
    import re
    return re.escape(word)


# --- what the path figures show ------------------------------------------

WINDOW = ((-0.1, 0.8), (-7.0, 1.0))


def test_nesterov_runs_down_the_valley_floor_after_one_overshoot(raw, runs):
    # The component across the valley (along the eigenvector of L):
    # Nesterov's is gone from step 2 on, the heavy ball's still swings.
    steep = np.linalg.eigh(raw.A)[1][:, 1]
    across = {k: np.abs((runs[k].theta - raw.theta_star) @ steep)
              for k in ("nesterov", "hb_n")}
    start = across["nesterov"][0]
    assert across["nesterov"][1] > 0.9 * start  # the overshoot
    assert across["nesterov"][2:].max() < 1e-9 * start
    # the heavy ball's shrinks only by sqrt(beta) = 0.9931 per step
    assert across["hb_n"][100:200].max() > 0.4 * start


def test_polyak_path_leaves_the_view_and_comes_back(raw, runs):
    theta = runs["polyak"].theta
    (w0, w1), (b0, b1) = WINDOW
    inside = ((w0 <= theta[:, 0]) & (theta[:, 0] <= w1)
              & (b0 <= theta[:, 1]) & (theta[:, 1] <= b1))
    assert inside[0] and not inside[1] and inside[-1]
    back = np.flatnonzero(~inside)[-1] + 1
    # "back in it, for good, only after about a thousand steps"
    assert 900 < back < 1200
    assert mplot.left_view(theta, WINDOW) == (1, back)


# --- Section 4.8: what the sliders show ------------------------------------

@pytest.fixture(scope="module")
def slider_betas(raw):
    out = {}
    for beta in (0.99, 0.995, 0.999):
        run_ = descend(raw.loss, raw.grad, THETA0, STEPS,
                       SGD(lr=1 / raw.L, momentum=beta))
        d = distance(raw, run_)
        out[beta] = (int(np.flatnonzero(d < 0.5)[0]), excess(raw, run_)[-1])
    return out


def test_beta_0995_comes_within_half_sooner_and_ends_lower(slider_betas):
    near_99, end_99 = slider_betas[0.99]
    near_995, end_995 = slider_betas[0.995]
    # "at about step 800 instead of 1900", "near 2e-7 instead of 6e-5"
    assert 750 < near_995 < 850 and 1850 < near_99 < 1950
    assert 1.5e-7 < end_995 < 3e-7 and 5e-5 < end_99 < 7e-5


def test_beta_0999_arrives_sooner_but_keeps_swinging(raw, slider_betas):
    near_999, end_999 = slider_betas[0.999]
    assert 450 < near_999 < 550
    assert near_999 < slider_betas[0.995][0]
    # every component shrinks by only sqrt(0.999) per step
    rho = [max(np.abs(np.roots([1, -(1 + 0.999 - lam / raw.L), 0.999])))
           for lam in (raw.mu, raw.L)]
    assert rho == pytest.approx([math.sqrt(0.999)] * 2, rel=1e-12)
    # "still about 0.04, worse than at 0.99"
    assert 0.035 < end_999 < 0.05
    assert end_999 > slider_betas[0.99][1]


def test_between_2_over_L_and_the_limit_only_momentum_converges(raw):
    limit = (2 + 2 * 0.99) / raw.L
    start = excess(raw, descend(raw.loss, raw.grad, THETA0, 0,
                                SGD(lr=1.0)))[0]
    for lr in (1.5 * 2 / raw.L, 0.99 * limit):
        gd = descend(raw.loss, raw.grad, THETA0, STEPS, SGD(lr=lr))
        heavy = descend(raw.loss, raw.grad, THETA0, STEPS,
                        SGD(lr=lr, momentum=0.99))
        assert gd.diverged_at is not None
        assert heavy.diverged_at is None
        assert excess(raw, heavy)[-1] < 1e-9 * start
    for beta in (0.0, 0.99):
        past = descend(raw.loss, raw.grad, THETA0, STEPS,
                       SGD(lr=1.01 * limit, momentum=beta))
        assert past.diverged_at is not None
    assert 2 / raw.L == pytest.approx(0.0025, abs=5e-5)
    assert limit == pytest.approx(0.0049, abs=5e-5)
