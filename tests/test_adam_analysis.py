"""utils.adam_analysis, and every claim Chapter 6 makes about Adam.

Expected values come from hand formulas (geometric sums, the first step
worked out on paper) or from a second derivation written here (the
recursions run in plain Python), never from the notebook's output.
"""

import math

import numpy as np
import pytest

from utils import adam_analysis as aa
from utils import linear
from utils.quadratic import linear_cost
from utils.data import flipper_and_mass, load_penguins
from utils.optimizers import SGD, Adam, AdamW
from utils.training import descend

X, Y = flipper_and_mass()
W_STAR, B_STAR = linear.least_squares(X, Y)
BETA1, BETA2 = 0.9, 0.999


def penguin(x, y):
    """``(loss, grad)`` of Chapter 1's cost, as the chapter builds them."""
    cost = linear_cost(x, y)
    return cost.loss, cost.grad


def test_the_chapters_cost_is_chapter_1s_mean_squared_error():
    loss, grad = penguin(X, Y)
    for theta in ([0.0, 0.0], [40.0, 4000.0], [W_STAR, B_STAR + 1.0]):
        w, b = theta
        assert loss(np.array(theta)) == pytest.approx(
            linear.mse(w, b, X, Y), rel=1e-12)
        assert np.allclose(grad(np.array(theta)),
                           linear.mse_grad(w, b, X, Y), rtol=1e-9,
                           atol=1e-9)


def recursion(gs, beta):
    """The moving average m <- beta m + (1 - beta) g from 0, per step."""
    out, m = [], 0.0
    for g in gs:
        m = beta * m + (1.0 - beta) * g
        out.append(m)
    return out


# --- 6.1: direction from m, scale from v ---------------------------------

def test_steps_are_lr_for_a_steady_sign_and_shrink_when_it_flips():
    steady = aa.follow(Adam(lr=0.01), np.full((50, 1), 3.0), [0.0])
    flips = aa.follow(Adam(lr=0.01),
                      3.0 * (-1.0) ** np.arange(50)[:, None], [0.0])
    assert np.allclose(aa.step_sizes(steady) / 0.01, 1.0, rtol=1e-8)
    # alternating signs: m_hat tends to (1 - beta1) / (1 + beta1) g
    late = aa.step_sizes(flips)[-10:, 0] / 0.01
    assert np.all(late < 0.1)
    assert late[-1] == pytest.approx(0.1 / 1.9, rel=0.05)


# --- 6.2: the moving averages and their bias -----------------------------

@pytest.mark.parametrize("t, beta", [(1, 0.9), (5, 0.9), (40, 0.999),
                                     (7, 0.0)])
def test_weights_add_up_to_one_minus_beta_to_the_t(t, beta):
    w = aa.moment_weights(t, beta)
    assert w.shape == (t,)
    assert w.sum() == pytest.approx(1.0 - beta ** t, rel=1e-12)
    assert w[-1] == pytest.approx(1.0 - beta)  # the newest gradient


def test_unrolled_sum_runs_to_t_and_matches_the_recursion():
    gs = np.random.default_rng(4).normal(size=12)
    for t in range(1, 13):
        by_sum = (1 - BETA1) * sum(BETA1 ** (t - i) * gs[i - 1]
                                   for i in range(1, t + 1))
        assert recursion(gs[:t], BETA1)[-1] == pytest.approx(by_sum,
                                                             rel=1e-12)
        assert np.dot(aa.moment_weights(t, BETA1), gs[:t]) == \
            pytest.approx(by_sum, rel=1e-12)
        # the sum stopping at t - 1 misses the newest gradient
        short = (1 - BETA1) * sum(BETA1 ** (t - i) * gs[i - 1]
                                  for i in range(1, t))
        assert abs(short - by_sum) == pytest.approx((1 - BETA1)
                                                    * abs(gs[t - 1]))


def test_constant_gradient_both_moments_fall_short_by_their_factor():
    g = 2.0
    m = recursion([g] * 10, BETA1)
    v = recursion([g * g] * 10, BETA2)
    for t in range(1, 11):
        assert m[t - 1] == pytest.approx((1 - 0.9 ** t) * g, rel=1e-12)
        assert v[t - 1] == pytest.approx((1 - 0.999 ** t) * g * g,
                                         rel=1e-12)
    # v_1 = 0.001 g^2 and m_1 = 0.1 g, as the chapter says
    assert v[0] == pytest.approx(0.001 * g * g, rel=1e-12)
    assert m[0] == pytest.approx(0.1 * g, rel=1e-12)
    # after 10 steps m is at 65% and v at 1%
    assert m[9] / g == pytest.approx(0.65132, abs=1e-5)
    assert v[9] / g ** 2 == pytest.approx(0.00996, abs=1e-5)
    # the correction recovers g and g^2
    assert m[9] / aa.correction_factor(10, BETA1) == pytest.approx(g)
    assert v[9] / aa.correction_factor(10, BETA2) == pytest.approx(g * g)


def test_correction_factor_scalar_and_array():
    assert aa.correction_factor(1, 0.999) == pytest.approx(0.001)
    assert isinstance(aa.correction_factor(3, 0.5), float)
    t = np.arange(1, 4)
    assert np.allclose(aa.correction_factor(t, 0.5), [0.5, 0.75, 0.875])


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_correction_factor_rejects_steps_that_are_not_counts(bad):
    with pytest.raises(ValueError, match="t"):
        aa.correction_factor(bad, 0.9)


@pytest.mark.parametrize("bad", [1.0, -0.1, True, "0.9"])
def test_betas_outside_zero_to_one_are_refused(bad):
    with pytest.raises(ValueError, match="beta"):
        aa.moment_weights(3, bad)


@pytest.mark.parametrize("fraction, beta", [(0.5, 0.9), (0.5, 0.999),
                                            (0.99, 0.9), (0.99, 0.999)])
def test_steps_to_reach_is_the_first_step_past_the_fraction(fraction,
                                                            beta):
    t = aa.steps_to_reach(fraction, beta)
    assert 1 - beta ** t >= fraction
    assert 1 - beta ** (t - 1) < fraction
    assert t == math.ceil(math.log(1 - fraction) / math.log(beta))


def test_steps_to_reach_edge_cases():
    # beta = 0 forgets at once: the first step reaches every fraction
    assert aa.steps_to_reach(0.999, 0.0) == 1
    for bad in (1.0, 1.5, 0.0):
        with pytest.raises(ValueError, match="fraction"):
            aa.steps_to_reach(bad, 0.9)


def test_steps_to_reach_corrects_the_rounding_of_the_logarithms():
    # fractions within rounding of 1 - beta^k: there the quotient of two
    # rounded logarithms can land one step early or one step late
    early = late = 0
    for beta in (0.7, 0.9, 0.999, 0.9999):
        for k in range(1, 3000, 7):
            exact = 1.0 - beta ** k
            for f in (exact, np.nextafter(exact, 0), np.nextafter(exact, 1)):
                if not 0.0 < f < 1.0:
                    continue
                t = aa.steps_to_reach(float(f), beta)
                assert 1.0 - beta ** t >= f
                assert t == 1 or 1.0 - beta ** (t - 1) < f
                naive = math.ceil(math.log1p(-f) / math.log(beta))
                early += naive < t
                late += naive > t
    assert early > 0 and late > 0  # both corrections were needed


def test_v_takes_a_hundred_times_longer_than_m():
    # log(0.5)/log(0.9) = 6.58 and log(0.5)/log(0.999) = 692.8
    assert aa.steps_to_reach(0.5, BETA1) == 7
    assert aa.steps_to_reach(0.5, BETA2) == 693
    assert aa.steps_to_reach(0.99, BETA2) == 4603


# --- 6.3: Adam inline equals utils.optimizers.Adam -----------------------

def inline_adam(grad, theta0, steps, lr, beta1=0.9, beta2=0.999,
                eps=1e-8):
    """The chapter's numpy loop, as written in its Section 6.3."""
    theta = np.array(theta0, dtype=float)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    path = [theta.copy()]
    for t in range(1, steps + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(theta.copy())
    return np.array(path)


def test_inline_adam_equals_utils_adam_to_1e_15():
    loss, grad = penguin(X, Y)
    path = inline_adam(grad, [0.0, 0.0], 200, lr=0.05)
    run = descend(loss, grad, [0.0, 0.0], 200, Adam(lr=0.05))
    assert np.max(np.abs(run.theta - path)) < 1e-15
    # and it gets close to least squares within those 200 steps
    assert run.theta[-1, 0] == pytest.approx(W_STAR, abs=1e-4)
    assert run.theta[-1, 1] == pytest.approx(B_STAR, abs=0.01)


def test_ablated_adam_with_both_corrections_is_adam():
    loss, grad = penguin(X, Y)
    a = descend(loss, grad, [0.0, 0.0], 150, Adam(lr=0.05, beta1=0.8))
    b = descend(loss, grad, [0.0, 0.0], 150,
                aa.AblatedAdam(lr=0.05, beta1=0.8))
    assert np.array_equal(a.theta, b.theta)  # bit for bit


def test_ablated_adam_checks_its_arguments_like_every_optimizer():
    opt = aa.AblatedAdam(correct_m=False, correct_v=False)
    assert isinstance(opt, Adam) and opt.weight_decay == 0.0
    # a gradient of another shape must not broadcast silently
    with pytest.raises(ValueError, match="shape"):
        opt.step([np.zeros(2)], [np.ones(3)])
    with pytest.raises(ValueError, match="shape"):
        opt.step([np.zeros((3, 1))], [np.ones((1, 3))])
    with pytest.raises(ValueError, match="beta2"):
        aa.AblatedAdam(beta2=1.0)
    with pytest.raises(ValueError, match="correct_v"):
        aa.AblatedAdam(correct_v="no")


def test_ablated_adam_reset_forgets_the_moments():
    opt = aa.AblatedAdam(lr=0.1)
    first = aa.follow(opt, np.ones((3, 1)), [0.0])
    opt.reset()
    again = aa.follow(opt, np.ones((3, 1)), [0.0])
    assert np.array_equal(first, again)
    assert repr(opt) == ("AblatedAdam(lr=0.1, beta1=0.9, beta2=0.999, "
                         "eps=1e-08, correct_m=True, correct_v=True)")


# --- 6.4: the first step and scale invariance ----------------------------

def test_first_step_is_lr_times_sign_whatever_the_scale():
    g = np.array([1e-6, 1e-3, 1.0, 1e3, 1e6, -5.0])
    theta = np.zeros_like(g)
    Adam(lr=0.01).step([theta], [g])
    want = -0.01 * g / (np.abs(g) + 1e-8)  # on paper: m_hat=g, v_hat=g^2
    assert np.allclose(theta, want, rtol=1e-12)
    assert np.allclose(np.abs(theta[1:]), 0.01, rtol=1e-4)
    assert abs(theta[0]) / 0.01 == pytest.approx(0.9901, abs=5e-5)
    assert np.allclose(aa.first_step(g, lr=0.01), want, rtol=1e-12)


def test_uncentred_gradients_differ_twentyfold_but_adam_moves_both_by_lr():
    raw = load_penguins().flipper_length_mm / 10
    # the gradient at (0, 0) by hand: 2 mean(-y x), 2 mean(-y)
    dw, db = 2 * np.mean(-Y * raw), 2 * np.mean(-Y)
    _, grad = penguin(raw, Y)
    assert np.allclose(grad(np.zeros(2)), [dw, db])
    assert 19 < dw / db < 22
    theta_sgd, theta_adam = np.zeros(2), np.zeros(2)
    SGD(lr=1e-4).step([theta_sgd], [np.array([dw, db])])
    Adam(lr=1e-4).step([theta_adam], [np.array([dw, db])])
    assert theta_sgd[0] / theta_sgd[1] == pytest.approx(dw / db)
    assert np.allclose(np.abs(theta_adam), 1e-4, rtol=1e-8)


def test_scaling_the_cost_leaves_adams_path_nearly_unchanged():
    loss, grad = penguin(X, Y)
    base = descend(loss, grad, [0.0, 0.0], 200, Adam(lr=0.05))
    gaps = {}
    for c in (1e3, 1e-3):
        run = descend(lambda th: c * loss(th), lambda th: c * grad(th),
                      [0.0, 0.0], 200, Adam(lr=0.05))
        gaps[c] = np.max(np.abs(run.theta - base.theta))
    assert gaps[1e3] < 1e-8
    assert gaps[1e-3] < 1e-5
    # not rounding: the gap grows as the gradients shrink towards eps
    assert gaps[1e-3] > 100 * gaps[1e3] > 1e-12
    # with eps far smaller, the gap on the small cost shrinks with it
    run = descend(lambda th: 1e-3 * loss(th), lambda th: 1e-3 * grad(th),
                  [0.0, 0.0], 200, Adam(lr=0.05, eps=1e-14))
    ref = descend(loss, grad, [0.0, 0.0], 200, Adam(lr=0.05, eps=1e-14))
    assert np.max(np.abs(run.theta - ref.theta)) < 1e-9


def test_gradient_descent_diverges_on_a_thousand_times_the_cost():
    L = np.linalg.eigvalsh(1000 * linear.mse_hessian(X))[-1]
    assert 2 / L < 0.05
    loss, grad = penguin(X, Y)
    run = descend(lambda th: 1000 * loss(th), lambda th: 1000 * grad(th),
                  [0.0, 0.0], 200, SGD(lr=0.05))
    assert run.diverged_at is not None


# --- 6.5: the ablation ---------------------------------------------------

def test_first_uncorrected_step_is_3_16_lr():
    want = (1 - 0.9) / math.sqrt(1 - 0.999)
    assert want == pytest.approx(3.1623, abs=1e-4)
    for g in (0.5, 2.0, -7e4):
        step = aa.first_step(np.array([g]), lr=0.01, correct_m=False,
                             correct_v=False)[0]
        assert step == pytest.approx(-0.01 * want * np.sign(g), rel=1e-6)
        opt = aa.AblatedAdam(lr=0.01, correct_m=False,
                             correct_v=False)
        theta = np.zeros(1)
        opt.step([theta], [np.array([g])])
        assert theta[0] == pytest.approx(step, rel=1e-12)


@pytest.mark.parametrize("first, second, want", [
    (True, True, 1.0),
    (False, False, 0.1 / math.sqrt(0.001)),
    (True, False, 1 / math.sqrt(0.001)),
    (False, True, 0.1),
])
def test_first_step_ratio_of_each_variant(first, second, want):
    assert aa.constant_gradient_ratio(1, correct_m=first,
                                      correct_v=second) == \
        pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("first, second", [(True, True), (False, False),
                                           (True, False), (False, True)])
def test_closed_form_ratio_matches_running_the_optimizer(first, second):
    opt = aa.AblatedAdam(correct_m=first, correct_v=second)
    path = aa.follow(opt, np.ones((300, 1)), [0.0])
    measured = aa.step_sizes(path)[:, 0] / opt.lr
    t = np.arange(1, 301)
    closed = aa.constant_gradient_ratio(t, correct_m=first,
                                        correct_v=second)
    assert np.allclose(measured, closed, rtol=1e-6)


def test_uncorrected_constant_gradient_steps_peak_near_6_6_lr():
    ratio = [(1 - 0.9 ** t) / math.sqrt(1 - 0.999 ** t)
             for t in range(1, 5001)]
    peak = int(np.argmax(ratio))
    assert peak + 1 == 12
    assert ratio[peak] == pytest.approx(6.57, abs=0.005)
    assert ratio[99] == pytest.approx(3.24, abs=0.005)
    assert ratio[999] == pytest.approx(1.26, abs=0.005)
    assert ratio[-1] > 1.0  # still above lr after thousands of steps
    closed = aa.constant_gradient_ratio(np.arange(1, 5001), 0.9, 0.999,
                                        False, False)
    assert np.allclose(closed, ratio, rtol=1e-12)


@pytest.fixture(scope="module")
def ablation():
    return aa.ablation_runs(X, Y, lr=0.05, steps=200)


def test_corrected_run_never_overshoots_and_always_descends(ablation):
    run = ablation["corrected"]
    sizes = aa.step_sizes(run.theta)[:, 1] / 0.05
    assert sizes[0] == pytest.approx(1.0, abs=1e-6)
    assert np.all(sizes <= 1.0 + 1e-9)
    assert np.all(run.theta[:, 1] < B_STAR)
    assert np.all(np.diff(run.loss) <= 0)


def test_uncorrected_run_overshoots_by_about_0_9_kg(ablation):
    run = ablation["uncorrected"]
    sizes = aa.step_sizes(run.theta)[:, 1] / 0.05
    assert sizes[0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)
    assert 5.5 < sizes.max() < 6.6
    over = run.theta[:, 1].max() - B_STAR
    assert 0.85 < over < 0.95
    assert np.any(np.diff(run.loss) > 0)  # the loss climbs back up


def test_both_ablation_runs_end_close_to_the_optimum(ablation):
    for run in ablation.values():
        assert np.max(np.abs(run.theta[-1] - [W_STAR, B_STAR])) < 0.01


def test_slider_beta2_claims():
    def first_and_max(beta2, beta1=0.9):
        run = aa.ablation_runs(X, Y, 0.05, 200, beta1=beta1,
                               beta2=beta2)["uncorrected"]
        sizes = aa.step_sizes(run.theta)[:, 1] / 0.05
        return sizes[0], sizes.max(), run.theta[:, 1].max() - B_STAR

    first, _, over = first_and_max(0.9999)
    _, _, over_default = first_and_max(0.999)
    assert first == pytest.approx(10.0, rel=1e-6)  # 0.1 / sqrt(1e-4)
    assert over > over_default
    first, largest, _ = first_and_max(0.99)
    assert first == pytest.approx(1.0, rel=1e-6)  # 0.1 / sqrt(0.01)
    assert largest > 1.5


def test_slider_beta1_claims():
    at_zero = aa.first_step(np.array([1.0]), 1.0, beta1=0.0,
                            correct_m=False, correct_v=False)
    assert -at_zero[0] == pytest.approx(1 / math.sqrt(0.001), rel=1e-6)
    high = aa.first_step(np.array([1.0]), 1.0, beta1=0.99,
                         correct_m=False, correct_v=False)
    assert -high[0] < 0.1 / math.sqrt(0.001)


@pytest.mark.parametrize("beta2", [0.9, 0.99, 0.999, 0.9999])
def test_slider_lr_claim_corrected_steps_stay_under_lr_at_beta1_0_9(beta2):
    for lr in np.geomspace(1e-3, 1.0, 7):
        runs = aa.ablation_runs(X, Y, lr, 200, beta1=0.9, beta2=beta2)
        corrected = aa.step_sizes(runs["corrected"].theta)[:, 1] / lr
        uncorrected = aa.step_sizes(runs["uncorrected"].theta)[:, 1] / lr
        assert corrected.max() <= 1.0 + 1e-6
        if beta2 >= 0.99:
            assert uncorrected.max() > 1.0 + 1e-3
        else:
            # too small instead: (1 - 0.9) / sqrt(1 - 0.9) at first
            assert uncorrected[0] == pytest.approx(0.1 / math.sqrt(0.1),
                                                   rel=1e-6)
            assert uncorrected.max() < 1.0


def test_correction_is_not_a_bound_when_the_gradient_jumps():
    # beta1 = 0, beta2 = 0.9: fifty gradients of 0.01, then one of 1
    grads = np.append(np.full(50, 0.01), 1.0)[:, None]
    path = aa.follow(Adam(lr=1.0, beta1=0.0, beta2=0.9), grads, [0.0])
    last = aa.step_sizes(path)[-1, 0]
    # on paper: m_hat = 1 and v_hat = v_51 / (1 - 0.9^51), with
    # v_51 = 0.9 (1 - 0.9^50) 1e-4 + 0.1
    v51 = 0.9 * (1 - 0.9 ** 50) * 1e-4 + 0.1
    assert last == pytest.approx(1 / (math.sqrt(v51 / (1 - 0.9 ** 51))
                                      + 1e-8), rel=1e-9)
    assert last == pytest.approx(1 / math.sqrt(0.1), abs=0.02)  # 3.16
    assert last > 3.0


# --- 6.6: eps and the defaults -------------------------------------------

def test_eps_keeps_zero_gradients_finite_and_halves_the_step_at_eps():
    g = np.array([0.0, 1e-10, 1e-8, 1e-6])
    theta = np.zeros_like(g)
    Adam(lr=0.01, eps=1e-8).step([theta], [g])
    assert np.all(np.isfinite(theta))
    assert theta[0] == 0.0
    assert abs(theta[2]) == pytest.approx(0.005, rel=1e-9)
    # far below eps: about a plain gradient step, lr * |g| / eps
    assert abs(theta[1]) == pytest.approx(0.01 * 1e-10 / 1e-8, rel=0.02)
    assert abs(theta[3]) / 0.01 == pytest.approx(1 / 1.01, rel=1e-9)


def test_eps_inside_the_root_acts_like_1e_4_outside_for_small_v():
    for v in (0.0, 1e-14, 1e-12):
        inside = math.sqrt(v + 1e-8)
        outside_big = math.sqrt(v) + 1e-4
        assert inside == pytest.approx(outside_big, rel=0.02)
        assert inside > 50 * (math.sqrt(v) + 1e-8)


def test_defaults_are_the_adam_papers_and_torchs():
    opt = Adam()
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps) == (1e-3, 0.9, 0.999,
                                                       1e-8)
    assert opt.weight_decay == 0.0
    assert AdamW().weight_decay == 1e-2


def test_the_last_one_over_one_minus_beta_gradients_hold_about_63_percent():
    for beta, n in ((0.9, 10), (0.999, 1000)):
        share = aa.moment_weights(5000, beta)[-n:].sum()
        assert share == pytest.approx(1 - beta ** n, rel=1e-9)
        assert 0.62 < share < 0.66
        assert 1 - 1 / math.e == pytest.approx(share, abs=0.02)


# --- 6.7: weight decay ---------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_adamw_step_is_shrinking_then_an_adam_step(seed):
    rng = np.random.default_rng(seed)
    theta0, g = rng.normal(size=4), rng.normal(size=4) * 10
    theta_w = theta0.copy()
    AdamW(lr=0.01, weight_decay=0.1).step([theta_w], [g])
    theta_a = theta0 * (1 - 0.01 * 0.1)
    Adam(lr=0.01).step([theta_a], [g])
    assert np.array_equal(theta_w, theta_a)


def test_noise_gradients_are_the_same_noise_at_each_scale():
    grads = aa.noise_gradients([100.0, 0.01], 50, seed=3)
    xi = np.random.default_rng(3).standard_normal(50)
    assert np.allclose(grads[:, 0], 100 * xi)
    assert np.allclose(grads[:, 1], 0.01 * xi)


@pytest.fixture(scope="module")
def decay():
    return aa.decay_runs((100.0, 0.01), lr=1e-3, weight_decay=0.5,
                         steps=4000, seed=0)


def test_without_decay_both_weights_walk_alike(decay):
    p = decay["Adam, no decay"]
    assert np.allclose(p[:, 0], p[:, 1], rtol=0, atol=1e-5)
    assert np.ptp(p[:, 0]) > 0.05  # it does walk


def test_adamw_shrinks_both_weights_alike(decay):
    walk, p = decay["Adam, no decay"], decay["AdamW"]
    assert np.allclose(p[:, 0], p[:, 1], rtol=0, atol=1e-5)
    # theta_k = (1 - lr lam) theta_{k-1} + (the no-decay step): the
    # gradient does not depend on theta, so Adam's steps are the walk's
    want = [1.0]
    for step in np.diff(walk[:, 0]):
        want.append((1 - 1e-3 * 0.5) * want[-1] + step)
    assert np.allclose(p[:, 0], want, rtol=0, atol=1e-12)
    # decay alone (a zero gradient) is (1 - lr wd)^t, about 0.135 at
    # t = 4000, and AdamW's weights end close to it
    alone = decay_alone(1e-3, 0.5, 4000)
    assert alone[-1] == pytest.approx(0.135, abs=5e-4)
    assert p[-1, 0] == pytest.approx(alone[-1], abs=0.02)


def decay_alone(lr, weight_decay, steps):
    """AdamW's path from 1 when every gradient is 0: decay and nothing
    else, since m stays 0."""
    path = aa.follow(AdamW(lr=lr, weight_decay=weight_decay),
                     np.zeros((steps, 1)), [1.0])[:, 0]
    t = np.arange(steps + 1)
    np.testing.assert_allclose(path, (1 - lr * weight_decay) ** t,
                               rtol=1e-9)
    return path


def test_coupled_decay_barely_touches_the_weight_with_large_gradients(
        decay):
    walk, l2 = decay["Adam, no decay"], decay["Adam, weight_decay (L2)"]
    gap = walk[-1, 0] - l2[-1, 0]
    assert 0 < gap < 0.05
    # the decay is divided by about 100, the scale of the noise
    divided = 4000 * 1e-3 * 0.5 * np.mean(l2[:, 0]) / 100
    assert gap == pytest.approx(divided, rel=0.3)
    assert decay["AdamW"][-1, 0] < walk[-1, 0] - 0.8


def test_coupled_decay_drives_the_weight_with_small_gradients_to_zero(
        decay):
    l2, adamw = decay["Adam, weight_decay (L2)"], decay["AdamW"]
    walk = decay["Adam, no decay"]
    # its first step is lr (a first step of Adam) ...
    first_l2 = l2[0, 1] - l2[1, 1]
    assert first_l2 == pytest.approx(1e-3, rel=1e-6)
    # ... twice AdamW's decay lr wd theta (AdamW's first step less the
    # walk's, which is the Adam step on the same gradient)
    first_w_decay = walk[1, 1] - adamw[1, 1]
    assert first_w_decay == pytest.approx(1e-3 * 0.5 * 1.0, rel=1e-9)
    assert first_l2 == pytest.approx(2 * first_w_decay, rel=1e-6)
    assert 0.08 < 1.0 - l2[100, 1] < 0.11
    halved_l2 = int(np.argmax(np.abs(l2[:, 1]) <= 0.5))
    halved_w = int(np.argmax(np.abs(adamw[:, 1]) <= 0.5))
    # decay alone halves a weight after about log(2) / (lr wd) steps
    halved_alone = int(np.argmax(decay_alone(1e-3, 0.5, 2000) <= 0.5))
    assert halved_alone == math.ceil(math.log(0.5) / math.log(1 - 5e-4))
    assert 500 < halved_l2 < 700              # "about 600"
    assert abs(halved_w - 1400) < 100         # "about 1400"
    assert abs(halved_w - halved_alone) < 100  # the walk adds a little
    assert halved_l2 < halved_w / 2
    assert np.max(np.abs(l2[2500:, 1])) < 0.005


def test_default_decay_takes_about_1e5_steps_to_shrink_by_e():
    # AdamW at lr = 1e-3 and its default weight_decay = 1e-2, on a zero
    # gradient: count the steps until the weight is below 1/e
    opt = AdamW(lr=1e-3)
    assert opt.weight_decay == 1e-2
    theta, zero, t = np.ones(1), np.zeros(1), 0
    while theta[0] > 1 / math.e:
        opt.step([theta], [zero])
        t += 1
    assert t == pytest.approx(1 / (1e-3 * 1e-2), rel=1e-3)  # 1e5 steps


def test_follow_records_start_and_every_step():
    path = aa.follow(Adam(lr=0.1), np.ones((4, 2)), [0.0, 1.0])
    assert path.shape == (5, 2)
    assert np.array_equal(path[0], [0.0, 1.0])
