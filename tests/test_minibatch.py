"""utils.minibatch: epochs, mini-batch gradients, their noise, and SGD.

Expected values are worked out independently: by enumerating every
possible batch of a small data set, by the hand formula of the chapter,
or by the full-batch loop of utils.training. The last part re-runs the
experiments of Chapter 3 and asserts each number its text states.
"""

import copy
import itertools
import pickle

import numpy as np
import pytest

from utils import linear, minibatch
from utils.data import flipper_and_mass, load_penguins
from utils.optimizers import SGD
from utils.training import Run, fit_linear

X, Y = flipper_and_mass()
N = X.size
W_STAR, B_STAR = linear.least_squares(X, Y)
J_STAR = linear.mse(W_STAR, B_STAR, X, Y)
SEEDS = range(8)


def epoch(n, batch_size, seed, drop_last=False):
    rng = np.random.default_rng(seed)
    return list(minibatch.minibatches(n, batch_size, rng, drop_last))


def small_data(n, seed=7):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return x - x.mean(), 2.0 + 0.5 * x + rng.normal(size=n)


# --- the iterator -------------------------------------------------------

@pytest.mark.parametrize("n, batch_size", [(342, 16), (342, 18), (10, 3),
                                           (5, 5), (7, 1)])
def test_every_index_exactly_once_per_epoch(n, batch_size):
    batches = epoch(n, batch_size, seed=0)
    assert np.array_equal(np.sort(np.concatenate(batches)), np.arange(n))
    sizes = [b.size for b in batches]
    assert sizes[:-1] == [batch_size] * (len(sizes) - 1)
    assert sizes[-1] == (n % batch_size or batch_size)


def test_drop_last_gives_equal_batches_and_skips_the_rest():
    batches = epoch(342, 16, seed=0, drop_last=True)
    assert [b.size for b in batches] == [16] * 21
    seen = np.concatenate(batches)
    assert np.unique(seen).size == 336


def test_same_seed_same_epoch_other_seed_other_epoch():
    a, b, c = epoch(50, 8, 1), epoch(50, 8, 1), epoch(50, 8, 2)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(np.concatenate(a), np.concatenate(c))


def test_each_epoch_is_shuffled_afresh():
    rng = np.random.default_rng(0)
    first = np.concatenate(list(minibatch.minibatches(50, 8, rng)))
    second = np.concatenate(list(minibatch.minibatches(50, 8, rng)))
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, np.arange(50))


def test_the_epoch_is_drawn_when_minibatches_is_called():
    # Nothing is asked of the iterator, yet the generator has moved on:
    # the shuffle happened at the call, as the arguments were checked.
    rng = np.random.default_rng(4)
    batches = minibatch.minibatches(20, 5, rng)
    assert np.array_equal(rng.permutation(20), _second_permutation(4, 20))
    assert np.array_equal(np.concatenate(list(batches)),
                          np.random.default_rng(4).permutation(20))


def _second_permutation(seed, n):
    rng = np.random.default_rng(seed)
    rng.permutation(n)
    return rng.permutation(n)


def test_each_batch_is_a_uniformly_random_subset():
    """Section 3.2: a batch on its own is a uniform random subset, at any
    position in the epoch; 10 subsets of 2 of 5 samples."""
    rng = np.random.default_rng(11)
    counts = np.zeros((2, 10))
    subsets = {c: i for i, c in enumerate(itertools.combinations(range(5),
                                                                 2))}
    epochs = 20000
    for _ in range(epochs):
        first, second, _ = minibatch.minibatches(5, 2, rng)
        counts[0, subsets[tuple(sorted(first))]] += 1
        counts[1, subsets[tuple(sorted(second))]] += 1
    # Each count is binomial(20000, 0.1): sd 42, so 5 sd is 212.
    assert np.all(np.abs(counts - epochs / 10) < 212)


def test_global_random_state_is_left_alone():
    np.random.seed(2024)
    before = np.random.get_state()
    epoch(342, 16, seed=0)
    minibatch.sgd_linear(X, Y, 0.05, 4, 200, np.random.default_rng(0))
    minibatch.measured_variance(0.0, 0.0, X, Y, 8,
                                np.random.default_rng(0), 100)
    after = np.random.get_state()
    assert np.array_equal(before[1], after[1]) and before[2] == after[2]


@pytest.mark.parametrize("rng", [None, 0, np.random,
                                 np.random.RandomState(0)])
def test_rng_must_be_a_generator(rng):
    with pytest.raises(ValueError, match="rng"):
        minibatch.minibatches(10, 2, rng)
    with pytest.raises(ValueError, match="rng"):
        minibatch.sgd_linear(X, Y, 0.05, 4, 10, rng)


@pytest.mark.parametrize("batch_size", [0, -1, N + 1, 2.5, True, "4",
                                        None])
def test_bad_batch_size_is_named(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        minibatch.minibatches(N, batch_size, np.random.default_rng(0))
    with pytest.raises(ValueError, match="batch_size"):
        minibatch.sgd_linear(X, Y, 0.05, batch_size, 10,
                             np.random.default_rng(0))


def test_no_samples_is_named():
    with pytest.raises(ValueError, match="^n "):
        minibatch.minibatches(0, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="^x "):
        minibatch.sgd_linear([], [], 0.05, 1, 10, np.random.default_rng(0))


@pytest.mark.parametrize("lr", [0, 0.0, -0.1, float("nan"), float("inf"),
                                "0.1", None])
def test_bad_learning_rate_is_named(lr):
    with pytest.raises(ValueError, match="^lr "):
        minibatch.sgd_linear(X, Y, lr, 4, 10, np.random.default_rng(0))


@pytest.mark.parametrize("k0", [0, -5, float("nan")])
def test_bad_decay_constant_is_named(k0):
    with pytest.raises(ValueError, match="^k0 "):
        minibatch.sgd_linear(X, Y, 0.05, 4, 10, np.random.default_rng(0),
                             k0=k0)


# --- the mini-batch gradient --------------------------------------------

def test_batch_of_everything_is_the_full_gradient():
    batch = np.random.default_rng(0).permutation(N)
    got = minibatch.minibatch_grad(0.3, 2.0, X, Y, batch)
    assert np.allclose(got, linear.mse_grad(0.3, 2.0, X, Y), rtol=1e-12)


def test_batch_gradient_matches_a_loop_over_the_batch():
    batch = np.array([3, 17, 100, 250])
    w, b = 0.4, 3.5
    dw = sum(2 * (w * X[i] + b - Y[i]) * X[i] for i in batch) / 4
    db = sum(2 * (w * X[i] + b - Y[i]) for i in batch) / 4
    assert np.allclose(minibatch.minibatch_grad(w, b, X, Y, batch),
                       (dw, db), rtol=1e-12)


def test_mean_over_an_epoch_of_equal_batches_is_the_full_gradient():
    batches = epoch(N, 18, seed=3)  # 342 = 19 * 18, all batches equal
    grads = [minibatch.minibatch_grad(0.0, 0.0, X, Y, b) for b in batches]
    assert np.allclose(np.mean(grads, axis=0), linear.mse_grad(0, 0, X, Y),
                       rtol=1e-12)


def test_unbiased_over_every_possible_batch():
    x, y = small_data(7)
    full = linear.mse_grad(0.2, 1.0, x, y)
    for size in (1, 2, 3, 6):
        grads = [minibatch.minibatch_grad(0.2, 1.0, x, y, np.array(c))
                 for c in itertools.combinations(range(7), size)]
        assert np.allclose(np.mean(grads, axis=0), full, rtol=1e-12)


def test_bad_batch_indices_are_named():
    for batch in ([], [0, N], [-1], [0.5, 1.5]):
        with pytest.raises(ValueError, match="^batch "):
            minibatch.minibatch_grad(0.0, 0.0, X, Y, batch)


# --- the noise ------------------------------------------------------------

@pytest.mark.parametrize("size", range(1, 9))
def test_variance_formula_against_enumeration(size):
    """Average ||g_B - g||^2 over all C(8, B) batches, the exact value."""
    x, y = small_data(8)
    w, b = 0.1, 0.5
    full = np.array(linear.mse_grad(w, b, x, y))
    grads = np.array([minibatch.minibatch_grad(w, b, x, y, np.array(c))
                      for c in itertools.combinations(range(8), size)])
    exact = np.mean(np.sum((grads - full) ** 2, axis=1))
    got = minibatch.predicted_variance(w, b, x, y, size)
    assert got == pytest.approx(exact, rel=1e-10, abs=1e-14)


def test_sample_variance_by_hand():
    w, b = 0.0, 0.0
    rows = [(2 * (w * xi + b - yi) * xi, 2 * (w * xi + b - yi))
            for xi, yi in zip(X, Y)]
    rows = np.array(rows)
    by_hand = np.sum(np.var(rows, axis=0))  # np.var divides by n
    assert minibatch.sample_variance(w, b, X, Y) == pytest.approx(by_hand)


def test_correction_values_quoted_in_the_chapter():
    assert minibatch.correction(342, 1) == 1.0
    assert minibatch.correction(342, 342) == 0.0
    assert round(minibatch.correction(342, 32), 2) == 0.91  # 310 / 341
    assert round(minibatch.correction(342, 64), 2) == 0.82  # 278 / 341


@pytest.mark.parametrize("seed", SEEDS)
def test_measured_variance_matches_the_formula(seed):
    """'within a few percent': 3000 batches, within 10% for any seed."""
    rng = np.random.default_rng(seed)
    for size in (1, 4, 16, 64):
        measured = minibatch.measured_variance(0.0, 0.0, X, Y, size, rng,
                                               3000)
        predicted = minibatch.predicted_variance(0.0, 0.0, X, Y, size)
        assert measured == pytest.approx(predicted, rel=0.10)


@pytest.mark.parametrize("sizes, variances", [
    ([4], [1.0]),                 # one point: no slope
    ([1, 0], [1.0, 2.0]),         # a batch size of 0
    ([1, 2], [1.0, -2.0]),        # a negative variance
    ([1, 2], [0.0, 1.0]),         # a zero variance: log is -inf
])
def test_log_log_slope_needs_two_positive_points(sizes, variances):
    with pytest.raises(ValueError, match="at least two positive"):
        minibatch.log_log_slope(sizes, variances)


def test_log_log_slope_of_an_exact_power_law():
    sizes = np.array([1, 2, 4, 8, 16])
    assert minibatch.log_log_slope(sizes, 5.0 / sizes) == pytest.approx(-1)
    assert minibatch.log_log_slope(sizes, sizes ** -2.0) == pytest.approx(
        -2)


SIZES = [1, 2, 4, 8, 16, 32, 64]


def test_the_formula_itself_is_steeper_than_one_over_b():
    predicted = [minibatch.predicted_variance(0, 0, X, Y, s) for s in SIZES]
    assert minibatch.log_log_slope(SIZES, predicted) < -1.01


@pytest.mark.parametrize("seed", SEEDS)
def test_measured_slope_is_minus_one_after_the_correction(seed):
    rng = np.random.default_rng(seed)
    measured = [minibatch.measured_variance(0, 0, X, Y, s, rng, 3000)
                for s in SIZES]
    corrected = [m / minibatch.correction(N, s)
                 for s, m in zip(SIZES, measured)]
    assert minibatch.log_log_slope(SIZES, corrected) == pytest.approx(
        -1, abs=0.04)
    assert minibatch.log_log_slope(SIZES, measured) < -1.0


def test_batch_gradients_are_equal_size_batches_of_distinct_samples():
    rng = np.random.default_rng(0)
    grads = minibatch.batch_gradients(0.0, 0.0, X, Y, 64, rng, 12)
    assert grads.shape == (12, 2)
    # Replaying the same generator gives the batches behind them.
    rng = np.random.default_rng(0)
    batches = [b for _ in range(3)
               for b in minibatch.minibatches(N, 64, rng, drop_last=True)]
    want = [minibatch.minibatch_grad(0, 0, X, Y, b) for b in batches[:12]]
    assert np.allclose(grads, want, rtol=1e-12)


# --- the training loop ----------------------------------------------------

def test_cheap_full_loss_is_the_mse():
    loss = minibatch.full_loss_function(X, Y)
    for w, b in [(0, 0), (0.5, 4.2), (-3, 10), (W_STAR, B_STAR)]:
        assert loss(w, b) == pytest.approx(linear.mse(w, b, X, Y),
                                           rel=1e-12, abs=1e-13)


@pytest.mark.parametrize("x", [X, X + 20.0])  # centred, and not
def test_cheap_excess_is_half_e_h_e(x):
    excess = minibatch.full_excess_function(x, Y)
    w_star, b_star = linear.least_squares(x, Y)
    H = linear.mse_hessian(x)
    rng = np.random.default_rng(1)
    for e in rng.normal(size=(6, 2)) * [[0.3], [1e-4], [1e-7], [1.0], [5.0],
                                          [1e-9]]:
        want = 0.5 * e @ H @ e
        assert excess(w_star + e[0], b_star + e[1]) == pytest.approx(
            want, rel=1e-9)


def test_excess_is_never_negative_near_the_minimum():
    """The old five-means formula gave J - J* = -7.7e-15 at the optimum;
    a sum of squares cannot."""
    loss = minibatch.full_loss_function(X, Y)
    excess = minibatch.full_excess_function(X, Y)
    rng = np.random.default_rng(2)
    for dw, db in rng.normal(size=(200, 2)) * 1e-9:
        assert excess(W_STAR + dw, B_STAR + db) >= 0.0
        assert loss(W_STAR + dw, B_STAR + db) - J_STAR >= 0.0
    assert excess(W_STAR, B_STAR) == 0.0
    assert loss(W_STAR, B_STAR) == J_STAR


def test_sgd_linear_returns_a_training_run():
    run = minibatch.sgd_linear(X, Y, 0.05, 16, 30, np.random.default_rng(0))
    assert isinstance(run, Run) and isinstance(run, minibatch.SGDRun)
    theta, loss, diverged_at = run  # unpacks as a Run
    assert theta is run.theta and loss is run.loss and diverged_at is None
    assert run.steps == 30 and run.samples.shape == (31,)
    assert run.lr.shape == (30,)
    assert run.summary() == (f"30 steps, {run.samples[-1]} samples, "
                             f"final loss {run.loss[-1]:.6g}")
    for other in (copy.deepcopy(run), pickle.loads(pickle.dumps(run))):
        assert np.array_equal(other.samples, run.samples)
        assert np.array_equal(other.lr, run.lr)
        assert np.array_equal(other.theta, run.theta)


def test_sgd_linear_steps_through_the_optimizer_it_is_given():
    # SGD with momentum 0.9, by hand: v <- 0.9 v + g (v = g at first),
    # theta <- theta - lr_k v, on the batches of the same generator.
    lr, k0, steps = 0.02, 10, 40
    run = minibatch.sgd_linear(X, Y, lr, 8, steps, np.random.default_rng(3),
                               k0=k0, optimizer=SGD(0.5, momentum=0.9))
    rng = np.random.default_rng(3)
    order = np.concatenate([rng.permutation(N) for _ in range(2)])
    theta, v = np.zeros(2), None
    for k in range(steps):
        batch = order[8 * k:8 * k + 8]
        g = np.array(minibatch.minibatch_grad(*theta, X, Y, batch))
        v = g if v is None else 0.9 * v + g
        theta = theta - lr / (1 + k / k0) * v
    assert np.allclose(run.theta[-1], theta, rtol=1e-12)
    # The schedule, not the optimizer's own lr, set every step.
    assert np.allclose(run.lr, lr / (1 + np.arange(steps) / k0))


def test_the_default_optimizer_is_plain_sgd():
    a = minibatch.sgd_linear(X, Y, 0.05, 4, 50, np.random.default_rng(1),
                             k0=20)
    b = minibatch.sgd_linear(X, Y, 0.05, 4, 50, np.random.default_rng(1),
                             k0=20, optimizer=SGD(1.0))
    assert np.array_equal(a.theta, b.theta)


@pytest.mark.parametrize("optimizer", ["sgd", 0.1, SGD])
def test_a_bad_optimizer_is_named(optimizer):
    with pytest.raises(ValueError, match="^optimizer "):
        minibatch.sgd_linear(X, Y, 0.05, 4, 5, np.random.default_rng(0),
                             optimizer=optimizer)


@pytest.mark.parametrize("name, value", [("w0", "a"), ("b0", [1.0, 2.0]),
                                         ("w0", np.nan)])
def test_a_bad_start_is_named(name, value):
    with pytest.raises(ValueError, match=f"^{name} "):
        minibatch.sgd_linear(X, Y, 0.05, 4, 5, np.random.default_rng(0),
                             **{name: value})


def test_full_batch_sgd_is_gradient_descent():
    run = minibatch.sgd_linear(X, Y, 0.1, N, 50, np.random.default_rng(0))
    gd = fit_linear(X, Y, lr=0.1, steps=50)
    assert np.allclose(run.theta, gd.theta, rtol=1e-12, atol=1e-14)
    assert np.allclose(run.loss, gd.loss, rtol=1e-10, atol=1e-13)
    assert list(run.samples) == [N * k for k in range(51)]


def test_single_sample_sgd_follows_the_permutation():
    rng = np.random.default_rng(5)
    order = np.concatenate([rng.permutation(N), rng.permutation(N)])
    w, b = 0.0, 0.0
    for i in order[:400]:
        r = w * X[i] + b - Y[i]
        w, b = w - 0.02 * 2 * r * X[i], b - 0.02 * 2 * r
    run = minibatch.sgd_linear(X, Y, 0.02, 1, 400, np.random.default_rng(5))
    assert np.allclose(run.theta[-1], (w, b), rtol=1e-12)


def test_samples_count_the_smaller_last_batch():
    run = minibatch.sgd_linear(X, Y, 0.05, 16, 23, np.random.default_rng(0))
    assert run.samples[21] == 336
    assert run.samples[22] == 342  # the batch of 6 ends the epoch
    assert run.samples[23] == 358  # the next epoch starts
    assert run.steps == 23


def test_decaying_learning_rate_schedule():
    run = minibatch.sgd_linear(X, Y, 0.05, 8, 300, np.random.default_rng(0),
                               k0=100)
    k = np.arange(300)
    assert np.allclose(run.lr, 0.05 / (1 + k / 100), rtol=1e-14)
    assert run.lr[100] == pytest.approx(0.025)  # halved by step k0
    const = minibatch.sgd_linear(X, Y, 0.05, 8, 300,
                                 np.random.default_rng(0))
    assert np.all(const.lr == 0.05)


def test_divergence_stops_cleanly():
    run = minibatch.sgd_linear(X, Y, 1.0, N, 2000, np.random.default_rng(0))
    assert run.diverged_at is not None
    assert run.steps == run.diverged_at < 2000
    assert not np.isfinite(run.loss[-1])
    assert np.all(np.isfinite(run.loss[:-1]))
    assert run.summary().startswith(f"diverged at step {run.diverged_at}")
    last = run.loss[-2]
    assert f"(last finite loss {last:.4g})" in run.summary()


def test_samples_to_reach_and_plateau():
    run = minibatch.sgd_linear(X, Y, 0.05, N, 40, np.random.default_rng(0))
    assert minibatch.samples_to_reach(run, -1.0) is None
    assert minibatch.samples_to_reach(run, 1e9) == 0
    assert minibatch.plateau(run, 1) == run.loss[-1]
    assert minibatch.plateau(run, 4) == pytest.approx(run.loss[-4:].mean())
    with pytest.raises(ValueError, match="last"):
        minibatch.plateau(run, 41)


# --- the numbers Chapter 3 states -----------------------------------------

def constant_run(lr, size, steps, seed, k0=None):
    return minibatch.sgd_linear(X, Y, lr, size, steps,
                                np.random.default_rng(seed), k0=k0)


def test_data_file_is_sorted_and_adelie_is_lightest():
    penguins = load_penguins()
    assert np.all(penguins.species[:151] == 0)
    means = [penguins.body_mass_g[penguins.species == s].mean()
             for s in range(3)]
    assert np.argmin(means) == 0


def test_one_epoch_of_b16():
    assert round(float(np.mean(Y ** 2)), 1) == 18.3  # J(0, 0)
    run = constant_run(0.05, 16, 22, seed=0)
    assert run.samples[-1] == N
    assert round(run.loss[-1], 2) == 0.33
    assert round(J_STAR, 2) == 0.15


@pytest.mark.parametrize("seed", SEEDS)
def test_the_three_runs_fall_together_at_first(seed):
    full, mini, single = (constant_run(0.05, s, 10, seed)
                          for s in (N, 16, 1))
    for run in (mini, single):
        ratio = (run.loss[1:] - J_STAR) / (full.loss[1:] - J_STAR)
        assert np.all((ratio > 1 / 2.5) & (ratio < 2.5))  # about two
    assert round(full.loss[10] - J_STAR) == 2


def test_full_batch_needs_28_steps_to_get_within_005():
    gd = fit_linear(X, Y, lr=0.05, steps=40)
    first = int(np.flatnonzero(gd.loss <= J_STAR + 0.05)[0])
    assert first == 28
    run = constant_run(0.05, N, 1000, seed=0)
    assert minibatch.samples_to_reach(run, J_STAR + 0.05) == 28 * N == 9576
    # J - J* is never negative, leaves a plot floored at 1e-9, and ends
    # at 0: closer than two floats near J* can differ.
    excess = run.loss - J_STAR
    assert np.all(excess >= 0.0)
    assert excess[-1] == 0.0
    assert np.all(excess[200:] < 1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_single_sample_gets_there_in_about_a_tenth_of_an_epoch(seed):
    run = constant_run(0.05, 1, 200, seed)
    reach = minibatch.samples_to_reach(run, J_STAR + 0.05)
    assert 12 <= reach <= 0.12 * N
    if seed == 0:
        assert reach == 26


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_smaller_batches_jitter_higher(seed):
    levels = [minibatch.plateau(constant_run(0.05, s, 1000, seed), 500)
              for s in (N, 16, 1)]
    assert levels[0] - J_STAR < 1e-12
    assert J_STAR + 1e-4 < levels[1] < levels[2]


def noise_balls(seed):
    return {lr: minibatch.plateau(constant_run(lr, 1, 4000, seed), 2000)
            - J_STAR for lr in (0.0125, 0.025, 0.05)}


@pytest.mark.parametrize("seed", SEEDS)
def test_noise_ball_grows_a_little_faster_than_lr(seed):
    ball = noise_balls(seed)
    for small, big in [(0.0125, 0.025), (0.025, 0.05)]:
        assert 2.0 < ball[big] / ball[small] < 2.7


def stationary_excess(lr, constant_noise):
    """J - J* that single-sample SGD with replacement settles at.

    The error e = theta - theta* moves as e <- (I - lr A_i) e + lr xi_i,
    with A_i = 2 a_i a_i^T, a_i = (x_i, 1), and xi_i the sample's
    gradient at theta*. Its covariance P settles where
    P = E[(I - lr A_i) P (I - lr A_i)] + lr^2 E[xi xi^T]. With
    ``constant_noise`` the kicks keep their size at theta*: A_i is
    replaced by its mean H. Then J - J* = tr(H P) / 2.
    """
    a = np.column_stack([X, np.ones(N)])
    xi = 2.0 * a * (a @ [W_STAR, B_STAR] - Y)[:, None]
    H = 2.0 * a.T @ a / N
    steps = ([np.eye(2) - lr * H] if constant_noise else
             [np.eye(2) - lr * 2.0 * np.outer(r, r) for r in a])
    M = sum(np.kron(S, S) for S in steps) / len(steps)
    noise = lr ** 2 * xi.T @ xi / N
    P = np.linalg.solve(np.eye(4) - M, noise.ravel()).reshape(2, 2)
    return 0.5 * np.trace(H @ P)


def test_why_the_noise_ball_grows_faster_than_lr():
    lrs = (0.0125, 0.025, 0.05)
    # Kicks of a fixed size: along curvature lam the excess goes like
    # lr / (2 - lr lam), so each doubling multiplies it by more than 2.
    fixed = [stationary_excess(lr, constant_noise=True) for lr in lrs]
    L = 2.0 * np.mean(X ** 2)
    for small, big in ((0, 1), (1, 2)):
        assert fixed[big] / fixed[small] > 2.0
        assert (2 - lrs[small] * L) / (2 - lrs[big] * L) > 1.0
    # Kicks that grow as theta strays: the noise is larger away from
    # theta*, on average over the directions around it.
    at_star = minibatch.sample_variance(W_STAR, B_STAR, X, Y)
    around = [minibatch.sample_variance(W_STAR + 0.1 * np.cos(t),
                                        B_STAR + 0.1 * np.sin(t), X, Y)
              for t in np.linspace(0, 2 * np.pi, 16, endpoint=False)]
    assert np.mean(around) > at_star
    # Both effects together: "factors of about 2.1 and 2.3".
    both = [stationary_excess(lr, constant_noise=False) for lr in lrs]
    assert round(both[1] / both[0], 1) == 2.1
    assert round(both[2] / both[1], 1) == 2.3
    for small, big in ((0, 1), (1, 2)):
        assert both[big] / both[small] > fixed[big] / fixed[small]


def test_the_chapters_noise_ball_model_is_the_one_derived_here():
    for lr in (0.0125, 0.025, 0.05):
        assert minibatch.predicted_noise_ball(X, Y, lr) == pytest.approx(
            stationary_excess(lr, constant_noise=False), rel=1e-12)
    with pytest.raises(ValueError, match="lr"):
        minibatch.predicted_noise_ball(X, Y, 0.0)


def test_noise_ball_numbers_for_seed_zero():
    ball = noise_balls(0)
    assert [round(ball[lr], 4) for lr in ball] == [0.0049, 0.0116, 0.0270]
    assert round(ball[0.05], 3) == 0.027  # "about 0.027" in Exercise 3.4
    assert 2.3 <= ball[0.025] / ball[0.0125] <= 2.4
    assert 2.3 <= ball[0.05] / ball[0.025] <= 2.4


@pytest.mark.parametrize("seed", SEEDS)
def test_decaying_lr_ends_much_closer_than_constant(seed):
    constant = constant_run(0.05, 1, 4000, seed)
    decay = constant_run(0.05, 1, 4000, seed, k0=100)
    gap_constant = minibatch.plateau(constant, 500) - J_STAR
    gap_decay = minibatch.plateau(decay, 500) - J_STAR
    assert gap_decay > 0
    assert gap_constant / gap_decay > 50  # two orders of magnitude
    if seed == 0:
        assert 200 < gap_constant / gap_decay < 300  # about 250 times


@pytest.mark.parametrize("seed", SEEDS)
def test_halving_lr_or_doubling_b_shrink_the_ball_alike(seed):
    """Exercise 3.4: both shrink it by a little more than 2."""
    base = minibatch.plateau(constant_run(0.05, 1, 4000, seed), 2000)
    half_lr = minibatch.plateau(constant_run(0.025, 1, 4000, seed), 2000)
    double_b = minibatch.plateau(constant_run(0.05, 2, 4000, seed), 2000)
    for smaller in (half_lr, double_b):
        assert 2.0 < (base - J_STAR) / (smaller - J_STAR) < 2.7
