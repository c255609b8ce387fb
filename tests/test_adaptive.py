"""Tests for utils.adaptive and for every claim Chapter 5 makes.

Expected values come from hand formulas (geometric sums, closed forms,
np.linalg), not from the outputs of the notebook.
"""

import math

import numpy as np
import pytest

from utils import adaptive
from utils.data import flipper_and_mass, load_penguins
from utils.optimizers import SGD, AdaGrad, RMSProp
from utils.plotting.adaptive import constant_gradient_steps
from utils.training import descend

STEPS = 2000
THETA0 = np.zeros(2)


@pytest.fixture(scope="module")
def raw_x():
    return load_penguins().flipper_length_mm / 10.0


@pytest.fixture(scope="module")
def cost():
    return adaptive.uncentred_cost()


@pytest.fixture(scope="module")
def ada(cost):
    return adaptive.trace(cost.loss, cost.grad, THETA0, STEPS,
                          AdaGrad(lr=0.01))


@pytest.fixture(scope="module")
def rms(cost):
    return adaptive.trace(cost.loss, cost.grad, THETA0, STEPS,
                          RMSProp(lr=0.01))


# --- the helpers ---------------------------------------------------------

def test_effective_step_both_conventions():
    assert adaptive.effective_step(4.0, 0.1, 1e-8) == pytest.approx(
        0.1 / (2.0 + 1e-8), rel=1e-15)
    assert adaptive.effective_step(4.0, 0.1, 1e-8, eps_inside=True) == (
        pytest.approx(0.1 / math.sqrt(4.0 + 1e-8), rel=1e-15))
    v = np.array([0.0, 1.0])
    out = adaptive.effective_step(v, 0.5, 0.25)
    assert np.allclose(out, [0.5 / 0.25, 0.5 / 1.25])


@pytest.mark.parametrize("kwargs, word", [
    (dict(v=-1.0, lr=0.1, eps=1e-8), "v"),
    (dict(v=1.0, lr=0.0, eps=1e-8), "lr"),
    (dict(v=1.0, lr=0.1, eps=0.0), "eps"),
    (dict(v=np.nan, lr=0.1, eps=1e-8), "v"),
])
def test_effective_step_rejects_bad_input(kwargs, word):
    with pytest.raises(ValueError, match=word):
        adaptive.effective_step(**kwargs)


def test_ema_from_zero_equals_the_loop():
    for alpha in (0.5, 0.9, 0.99):
        v = 0.0
        for t in range(1, 301):
            v = alpha * v + (1 - alpha) * 9.0
            assert adaptive.ema_from_zero(9.0, alpha, t) == pytest.approx(
                v, rel=1e-12)
    # the first step holds (1 - alpha) c^2 only; the limit is c^2
    assert adaptive.ema_from_zero(4.0, 0.99, 1) == pytest.approx(0.04)
    assert adaptive.ema_from_zero(4.0, 0.99, 10 ** 5) == pytest.approx(4.0)
    assert adaptive.ema_from_zero(4.0, 0.9, 0) == 0.0
    t = np.array([1, 2])
    assert np.allclose(adaptive.ema_from_zero(1.0, 0.5, t), [0.5, 0.75])


@pytest.mark.parametrize("call", [
    lambda: adaptive.ema_from_zero(-1.0, 0.9, 3),
    lambda: adaptive.ema_from_zero(1.0, 1.0, 3),
    lambda: adaptive.ema_from_zero(1.0, 0.9, 2.5),
    lambda: adaptive.ema_from_zero(1.0, 0.9, -1),
    lambda: adaptive.time_constant(1.0),
])
def test_helpers_reject_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_time_constant_and_the_weight_it_leaves():
    # alpha^(1/(1-alpha)) -> 1/e as alpha -> 1; within 6 % from 0.9 on.
    for alpha in (0.9, 0.99, 0.999):
        tau = adaptive.time_constant(alpha)
        assert tau == pytest.approx(1 / (1 - alpha))
        assert alpha ** tau == pytest.approx(math.exp(-1), rel=0.06)
    gaps = [abs(a ** adaptive.time_constant(a) - math.exp(-1))
            for a in (0.9, 0.99, 0.999)]
    assert gaps[0] > gaps[1] > gaps[2]


def test_trace_records_what_the_optimizer_did(cost):
    for opt in (AdaGrad(lr=0.05), RMSProp(lr=0.01, alpha=0.9),
                adaptive.RMSPropEpsInside(lr=0.01)):
        tr = adaptive.trace(cost.loss, cost.grad, THETA0, 50, opt)
        steps = np.diff(tr.run.theta, axis=0)
        assert np.allclose(steps, -tr.eff * tr.grads, rtol=1e-12,
                           atol=1e-15)
        assert tr.grads.shape == tr.acc.shape == tr.eff.shape == (50, 2)
        assert np.allclose(tr.grads[0], cost.grad(THETA0))


def test_accumulate_by_hand():
    grads = np.array([[1.0, 2.0], [3.0, 0.0]])
    assert np.allclose(adaptive.accumulate(grads, AdaGrad()),
                       [[1.0, 4.0], [10.0, 4.0]])
    assert np.allclose(
        adaptive.accumulate(grads, AdaGrad(initial_accumulator_value=0.5)),
        [[1.5, 4.5], [10.5, 4.5]])
    assert np.allclose(adaptive.accumulate(grads, RMSProp(alpha=0.5)),
                       [[0.5, 2.0], [0.25 + 4.5, 1.0]])


def test_trace_refuses_what_it_does_not_follow(cost):
    for opt in (AdaGrad(lr_decay=0.1), RMSProp(momentum=0.9),
                RMSProp(centered=True), SGD(lr=0.1)):
        with pytest.raises(ValueError):
            adaptive.trace(cost.loss, cost.grad, THETA0, 3, opt)


def test_rmsprop_eps_inside_follows_its_rule():
    opt = adaptive.RMSPropEpsInside(lr=0.1, alpha=0.5, eps=0.01)
    theta, g = np.array([1.0]), np.array([0.2])
    opt.step([theta], [g])
    v = 0.5 * 0.04
    assert theta[0] == pytest.approx(1.0 - 0.1 * 0.2 / math.sqrt(v + 0.01))
    assert "eps=0.01" in repr(opt)
    with pytest.raises(ValueError, match="alpha"):
        adaptive.RMSPropEpsInside(alpha=1.0)


def test_scaled_cost_keeps_the_minimum(cost):
    loss, grad = adaptive.scaled(cost, 1e-6)
    theta = np.array([0.3, -1.0])
    assert loss(theta) == pytest.approx(1e-6 * cost.loss(theta))
    assert np.allclose(grad(theta), 1e-6 * cost.grad(theta))
    assert np.allclose(grad(cost.theta_star), 0.0, atol=1e-15)


def test_adagrad_distance_bound():
    assert adaptive.adagrad_distance_bound(0.1, 1) == pytest.approx(0.1)
    assert adaptive.adagrad_distance_bound(1.0, 4) == pytest.approx(
        1 + 1 / math.sqrt(2) + 1 / math.sqrt(3) + 0.5)
    for t in (1, 10, 1000):
        assert adaptive.adagrad_distance_bound(0.01, t) < 0.02 * math.sqrt(t)


# --- 5.1 one learning rate for two parameters ----------------------------

def test_uncentred_cost_is_the_raw_flipper_problem(cost, raw_x):
    H = 2 * np.array([[np.mean(raw_x ** 2), np.mean(raw_x)],
                      [np.mean(raw_x), 1.0]])
    assert np.allclose(cost.A, H)
    lam = np.linalg.eigvalsh(H)
    assert lam[-1] / lam[0] == pytest.approx(8.4e4, rel=0.01)
    assert 2 / lam[-1] == pytest.approx(0.00246, abs=5e-6)
    assert H[0, 0] / H[1, 1] > 400  # w about 400 times steeper than b
    assert cost.theta_star[1] == pytest.approx(-5.78, abs=0.01)


def test_gradient_descent_at_a_safe_rate_hardly_moves_b(cost):
    assert 0.002 < 2 / cost.L
    run = descend(cost.loss, cost.grad, THETA0, STEPS, SGD(lr=0.002))
    assert abs(run.theta[-1, 1]) < 0.05 * abs(cost.theta_star[1])


def test_first_gradients_differ_twentyfold(cost, raw_x):
    _, y = flipper_and_mass()
    # at (0, 0) the residual is -y: dJ/dw = -2 mean(x y), dJ/db = -2 mean y
    ratio = np.mean(raw_x * y) / np.mean(y)
    g0 = cost.grad(THETA0)
    assert g0[0] / g0[1] == pytest.approx(ratio)
    assert 19.5 < ratio < 21


# --- 5.2 and 5.3 AdaGrad in numpy; a step per coordinate -----------------

def inline_adagrad(grad, lr, steps, eps=1e-10):
    theta, s = THETA0.copy(), np.zeros(2)
    path = [theta.copy()]
    for _ in range(steps):
        g = grad(theta)
        s = s + g * g
        theta = theta - lr * (g / (np.sqrt(s) + eps))
        path.append(theta.copy())
    return np.array(path)


def inline_rmsprop(grad, lr, steps, alpha=0.99, eps=1e-8):
    theta, v = THETA0.copy(), np.zeros(2)
    path = [theta.copy()]
    for _ in range(steps):
        g = grad(theta)
        v = alpha * v + (1 - alpha) * (g * g)
        theta = theta - lr * (g / (np.sqrt(v) + eps))
        path.append(theta.copy())
    return np.array(path)


def test_inline_adagrad_equals_utils(cost, ada):
    assert np.array_equal(inline_adagrad(cost.grad, 0.01, STEPS),
                          ada.run.theta)


def test_inline_rmsprop_equals_utils(cost, rms):
    assert np.array_equal(inline_rmsprop(cost.grad, 0.01, STEPS),
                          rms.run.theta)


def test_adagrad_first_step_moves_each_coordinate_by_lr(ada):
    first = ada.run.theta[1] - ada.run.theta[0]
    assert np.allclose(np.abs(first), 0.01, rtol=1e-9)
    g = ada.grads[0]
    assert ada.eff[0, 1] / ada.eff[0, 0] == pytest.approx(abs(g[0] / g[1]))


def test_diagonal_kappa_by_hand(cost):
    H = cost.A
    r = H[0, 1] / math.sqrt(H[0, 0] * H[1, 1])
    want = (1 + r) / (1 - r)  # eigenvalues 1 +- r of [[1, r], [r, 1]]
    assert adaptive.diagonal_kappa(H) == pytest.approx(want, rel=1e-9)
    assert 800 < want < 850
    assert adaptive.diagonal_kappa(np.diag([100.0, 1.0])) == (
        pytest.approx(1.0))


def test_dividing_by_root_of_the_diagonal_is_the_best_rescaling(cost):
    # Rescale b by s against w (only the ratio matters): D H D with
    # D = diag(1, s). No s on a fine grid beats D = diag(H_ii)^(-1/2),
    # whose ratio is sqrt(H_00 / H_11), and the grid's best sits there.
    H = cost.A
    s = np.geomspace(1e-4, 1e4, 20001)
    scaled = np.empty((len(s), 2, 2))
    scaled[:, 0, 0] = H[0, 0]
    scaled[:, 0, 1] = scaled[:, 1, 0] = s * H[0, 1]
    scaled[:, 1, 1] = s * s * H[1, 1]
    lam = np.linalg.eigvalsh(scaled)
    kappas = lam[:, 1] / lam[:, 0]
    best = adaptive.diagonal_kappa(H)
    assert kappas.min() >= best * (1 - 1e-9)
    assert kappas.min() == pytest.approx(best, rel=1e-4)
    ratio = math.sqrt(H[0, 0] / H[1, 1])
    assert s[np.argmin(kappas)] == pytest.approx(ratio, rel=2e-3)


# --- 5.4 AdaGrad's steps shrink -------------------------------------------

def test_constant_gradient_adagrad_steps_fall_like_one_over_sqrt_t():
    size, dist = constant_gradient_steps(2.0, 0.01, 1000)["AdaGrad"]
    t = np.arange(1, 1001)
    assert np.allclose(size, 0.01 / np.sqrt(t), rtol=1e-9)
    assert dist[-1] == pytest.approx(
        adaptive.adagrad_distance_bound(0.01, 1000), rel=1e-9)
    assert np.all(dist < 2 * 0.01 * np.sqrt(t))


def test_constant_gradient_rmsprop_steps_stay_near_lr():
    alpha, lr, c = 0.99, 0.01, 2.0
    size, dist = constant_gradient_steps(c, lr, 1000, alpha)["RMSProp"]
    t = np.arange(1, 1001)
    # v_t = c^2 (1 - alpha^t): the step is lr |c| / (|c| sqrt(.) + eps)
    want = lr * c / (c * np.sqrt(1 - alpha ** t) + 1e-8)
    assert np.allclose(size, want, rtol=1e-9)
    assert size[0] == pytest.approx(10 * lr, rel=1e-6)
    assert np.all(np.diff(size) <= 0)
    assert np.all(size >= lr * c / (c + 1e-8) * (1 - 1e-12))
    assert dist[-1] > lr * 1000


def test_adagrad_rates_only_fall_and_then_freeze(ada):
    assert np.all(np.diff(ada.eff, axis=0) <= 0)
    assert np.allclose(ada.eff[-1], ada.eff[999], rtol=1e-3)
    assert np.all(ada.eff[-1] < 0.2 * ada.eff[0])
    # the early gradients dominate the sum: the late ones are tiny
    assert np.all(np.abs(ada.grads[-1]) < 0.1)
    assert np.all(np.abs(ada.grads[0]) > 8)


def test_adagrad_at_the_default_rate_stalls(cost, ada):
    b = ada.run.theta[:, 1]
    assert b[-1] > 0  # not yet turned towards b* < 0
    assert cost.excess(ada.run.theta[-1]) > 0.17
    big = descend(cost.loss, cost.grad, THETA0, STEPS, AdaGrad(lr=1.0))
    assert big.theta[-1, 1] < -2
    assert cost.excess(big.theta[-1]) < 0.5 * cost.excess(ada.run.theta[-1])
    small = descend(cost.loss, cost.grad, THETA0, STEPS, AdaGrad(lr=0.1))
    assert small.theta[-1, 1] > -1


# --- 5.5 and 5.6 RMSProp ----------------------------------------------------

def test_rmsprop_rate_has_a_floor():
    rng = np.random.default_rng(5)
    grads = rng.normal(size=(500, 3)) * np.array([1e-3, 1.0, 100.0])
    opt = RMSProp(lr=0.01)
    v = adaptive.accumulate(grads, opt)
    eff = adaptive.effective_step(v, opt.lr, opt.eps)
    G = np.abs(grads).max(axis=0)
    assert np.all(eff >= opt.lr / (G + opt.eps))
    # AdaGrad on the same gradients falls below that floor
    s = adaptive.accumulate(grads, AdaGrad(lr=0.01))
    ada_eff = adaptive.effective_step(s, 0.01, 1e-10)
    assert np.all(ada_eff[-1] < 0.01 / (G + 1e-10))


def test_rmsprop_rates_climb_back_on_the_penguins(rms, ada):
    floor = 0.01 / (np.abs(rms.grads).max(axis=0) + 1e-8)
    assert np.all(rms.eff >= floor)
    assert np.all(rms.eff[-1] > 3 * rms.eff.min(axis=0))
    assert np.all(rms.eff[-1] > 100 * ada.eff[-1])


def test_rmsprop_comes_furthest_in_2000_steps(cost, rms, ada):
    others = [descend(cost.loss, cost.grad, THETA0, STEPS, opt)
              for opt in (SGD(lr=0.002), AdaGrad(lr=1.0))] + [ada.run]
    end = cost.excess(rms.run.theta[-1])
    for run in others:
        assert rms.run.theta[-1, 1] < run.theta[-1, 1]
        assert end < cost.excess(run.theta[-1])
    # and its cost is not monotone: it spikes
    excess = cost.excess(rms.run.theta.T)
    assert np.any(np.diff(excess[100:]) > 0.1)


def test_rmsprop_ends_at_the_edge_of_stability(cost, rms):
    # diag(eff) H has the spectrum of diag(sqrt eff) H diag(sqrt eff)
    top = np.max(np.linalg.eigvals(np.diag(rms.eff[-1]) @ cost.A).real)
    assert top == pytest.approx(2.0, rel=0.01)
    early = np.max(np.linalg.eigvals(np.diag(rms.eff[99]) @ cost.A).real)
    assert early < 1.0


def test_rmsprop_hovers_while_adagrad_closes_in(cost):
    ends = {}
    for name, opt in (("ada", AdaGrad(lr=1.0)),
                      ("rms", RMSProp(lr=0.01)),
                      ("rms_small", RMSProp(lr=0.003))):
        run = descend(cost.loss, cost.grad, THETA0, 20000, opt)
        ends[name] = cost.excess(run.theta[[10000, 20000]].T)
    assert ends["ada"][1] < 0.01 * ends["ada"][0]
    assert ends["rms"][1] > 0.8 * ends["rms"][0]
    assert ends["rms_small"][1] > 0.8 * ends["rms_small"][0]
    assert ends["rms_small"][1] < 0.2 * ends["rms"][1]
    assert ends["ada"][1] < ends["rms_small"][1]


# --- 5.7 the slider's claims ----------------------------------------------

def climb_step(tr):
    """First step where b's rate is twice its smallest so far."""
    low = np.minimum.accumulate(tr.eff[:, 1])
    return int(np.argmax(tr.eff[:, 1] > 2 * low))


def test_alpha_sets_when_the_rate_climbs_not_where_it_ends(cost):
    climbs, finals = {}, {}
    for alpha in (0.5, 0.9, 0.95, 0.99, 0.995, 0.999):
        tr = adaptive.trace(cost.loss, cost.grad, THETA0, STEPS,
                            RMSProp(lr=0.01, alpha=alpha))
        climbs[alpha] = climb_step(tr)
        finals[alpha] = cost.excess(tr.run.theta[-1])
        first = np.abs(tr.run.theta[1] - tr.run.theta[0])
        assert np.allclose(first, 0.01 / math.sqrt(1 - alpha), rtol=1e-6)
    assert climbs[0.9] < climbs[0.99] < climbs[0.995]
    assert climbs[0.99] > 3 * climbs[0.9]
    assert all(0.03 < f < 0.07 for f in finals.values())


# --- 5.8 where eps goes -----------------------------------------------------

def test_eps_conventions_agree_for_large_v_and_part_for_small():
    lr, eps = 0.01, 1e-8
    for v in (1.0, 1e-4):
        out = adaptive.effective_step(v, lr, eps)
        ins = adaptive.effective_step(v, lr, eps, eps_inside=True)
        assert out == pytest.approx(ins, rel=1e-3)
    out = adaptive.effective_step(1e-12, lr, eps)
    ins = adaptive.effective_step(1e-12, lr, eps, eps_inside=True)
    # (1e-6 + 1e-8) against sqrt(1e-12 + 1e-8)
    assert out / ins == pytest.approx(math.sqrt(1.0001e-8) / 1.01e-6)
    assert 98 < out / ins < 100
    assert adaptive.effective_step(0.0, lr, eps) == pytest.approx(lr / eps)
    assert adaptive.effective_step(0.0, lr, eps, eps_inside=True) == (
        pytest.approx(lr / math.sqrt(eps)))
    assert adaptive.effective_step(eps, lr, eps) / adaptive.effective_step(
        eps, lr, eps, eps_inside=True) == pytest.approx(math.sqrt(2),
                                                        rel=1e-3)


def test_eps_matters_only_for_tiny_gradients(cost):
    ends = {}
    traces = {}
    for c in (1.0, 1e-6):
        loss, grad = adaptive.scaled(cost, c)
        for name, opt in (("outside", RMSProp(lr=0.01)),
                          ("inside", adaptive.RMSPropEpsInside(lr=0.01))):
            tr = adaptive.trace(loss, grad, THETA0, STEPS, opt)
            traces[c, name] = tr
            ends[c, name] = cost.excess(tr.run.theta[-1])
    assert ends[1.0, "inside"] == pytest.approx(ends[1.0, "outside"],
                                                rel=0.01)
    assert ends[1e-6, "outside"] == pytest.approx(ends[1.0, "outside"],
                                                  rel=0.1)
    assert ends[1e-6, "inside"] > 3 * ends[1e-6, "outside"]
    stuck = traces[1e-6, "inside"]
    assert abs(stuck.run.theta[-1, 1]) < 0.01
    assert np.allclose(stuck.eff[-1], 0.01 / math.sqrt(1e-8), rtol=0.01)
    assert np.all(stuck.acc[-1] < 1e-3 * 1e-8)
