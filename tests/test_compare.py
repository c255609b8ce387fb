"""Tests for utils.compare, and for every claim Chapter 7 makes.

The first half tests the harness itself against hand-written loops and
small hand examples. The second half reruns the chapter's comparison
(the same grid, budget and seed) and asserts each statement the text
makes about it, so that a change in the code or the data that breaks a
sentence of the chapter fails here.
"""

import math

import numpy as np
import pytest

from utils import compare as cp
from utils import softmax as sm
from utils.data import load_digits
from utils.minibatch import minibatches
from utils.optimizers import SGD, AdaGrad, Adam, AdamW, RMSProp


@pytest.fixture(scope="module")
def task():
    return sm.digits_task()


# --- the harness ---------------------------------------------------------

def test_each_name_makes_the_optimizer_it_says():
    kinds = {"SGD": SGD, "momentum": SGD, "Nesterov": SGD,
             "AdaGrad": AdaGrad, "RMSProp": RMSProp, "Adam": Adam,
             "AdamW": AdamW}
    assert set(cp.OPTIMIZERS) == set(kinds)
    for name, kind in kinds.items():
        opt = cp.make_optimizer(name, 0.5)
        assert type(opt) is kind and opt.lr == 0.5
    assert cp.make_optimizer("SGD", 1.0).momentum == 0.0
    mom = cp.make_optimizer("momentum", 1.0)
    assert mom.momentum == 0.9 and not mom.nesterov
    nes = cp.make_optimizer("Nesterov", 1.0)
    assert nes.momentum == 0.9 and nes.nesterov
    # the others keep their defaults, AdamW's weight decay included
    assert cp.make_optimizer("AdamW", 1.0).weight_decay == 1e-2
    assert cp.make_optimizer("Adam", 1.0).weight_decay == 0.0


def test_an_unknown_name_or_rate_is_refused():
    with pytest.raises(ValueError, match="name"):
        cp.make_optimizer("Lion", 0.1)
    with pytest.raises(ValueError, match="lr"):
        cp.make_optimizer("Adam", -1.0)


def test_steps_per_epoch_counts_the_short_last_batch():
    assert cp.steps_per_epoch(1438, 32) == 45  # 44 full batches and 30
    assert cp.steps_per_epoch(64, 32) == 2


def test_the_grid_is_nine_rates_half_a_decade_apart():
    assert cp.GRID.size == 9
    assert cp.GRID[0] == pytest.approx(1e-3)
    assert cp.GRID[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(cp.GRID[1:] / cp.GRID[:-1], math.sqrt(10))


def hand_sgd(X, y, lr, epochs, batch_size, seed):
    """Mini-batch SGD on the cross-entropy, written out in full."""
    rng = np.random.default_rng(seed)
    W, b = np.zeros((X.shape[1], 10)), np.zeros(10)
    for _ in range(epochs):
        for batch in minibatches(len(y), batch_size, rng):
            Xb, yb = X[batch], y[batch]
            z = Xb @ W + b
            P = np.exp(z - z.max(axis=1, keepdims=True))
            P /= P.sum(axis=1, keepdims=True)
            P[np.arange(len(yb)), yb] -= 1.0
            W = W - lr * Xb.T @ P / len(yb)
            b = b - lr * P.mean(axis=0)
    return W, b


def test_train_is_minibatch_sgd_from_zero(task):
    X, y = task.X_train, task.y_train
    run = cp.train("SGD", 0.3, X, y, epochs=2, batch_size=100, seed=3)
    W, b = hand_sgd(X, y, 0.3, 2, 100, 3)
    np.testing.assert_allclose(run.W, W, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.b, b, rtol=1e-10, atol=1e-12)
    assert run.loss[0] == pytest.approx(math.log(10.0))
    assert run.loss[-1] == pytest.approx(sm.cross_entropy(W, b, X, y))
    assert run.diverged_at is None
    assert run.name == "SGD" and run.lr == 0.3


def test_train_records_every_few_steps_and_the_last(task):
    X, y = task.X_train, task.y_train
    run = cp.train("Adam", 0.01, X, y, epochs=1, batch_size=100,
                   record_every=4)
    # 1438 samples in batches of 100: 15 steps; records at 0, 4, 8, 12, 15
    np.testing.assert_array_equal(run.steps, [0, 4, 8, 12, 15])
    assert run.steps_per_epoch == 15
    np.testing.assert_allclose(run.epochs, run.steps / 15)
    assert run.last_loss == run.loss[-1]


def test_final_loss_is_the_mean_over_the_last_epoch(task):
    X, y = task.X_train, task.y_train
    run = cp.train("SGD", 0.5, X, y, epochs=3, batch_size=100,
                   record_every=5)
    # 15 steps per epoch; the last epoch holds steps 31 to 45, recorded
    # at 35, 40 and 45
    last = [run.loss[list(run.steps).index(k)] for k in (35, 40, 45)]
    assert run.final_loss == pytest.approx(np.mean(last), rel=1e-15)
    assert "mean training loss" in run.summary()


def test_the_same_seed_repeats_a_run_and_another_seed_does_not(task):
    X, y = task.X_train, task.y_train
    a = cp.train("momentum", 0.1, X, y, epochs=1, seed=5)
    b = cp.train("momentum", 0.1, X, y, epochs=1, seed=5)
    c = cp.train("momentum", 0.1, X, y, epochs=1, seed=6)
    np.testing.assert_array_equal(a.loss, b.loss)
    np.testing.assert_array_equal(a.W, b.W)
    assert not np.array_equal(a.W, c.W)


def test_a_diverging_run_stops_and_is_recorded_without_warnings():
    # inputs near 1e200 and a rate of 1e300 overflow the weights at
    # once; pytest turns any numpy warning into an error
    X = np.full((8, 2), 1e200)
    y = np.arange(8) % 10
    run = cp.train("SGD", 1e300, X, y, epochs=3, batch_size=4)
    assert run.diverged_at is not None
    assert run.diverged_at <= 2
    assert run.steps[-1] == run.diverged_at
    assert not math.isfinite(run.loss[-1])
    assert run.final_loss == math.inf
    assert "diverged at step" in run.summary()


def test_a_non_finite_batch_loss_stops_the_run_before_its_step():
    # two batches an epoch and nothing recorded before step 100: step 1
    # overflows the weights, so the loss of the next batch is not finite
    # and no step is taken from there; the record ends at step 1
    X = np.full((8, 2), 1e200)
    y = np.arange(8) % 10
    run = cp.train("SGD", 1e300, X, y, epochs=3, batch_size=4,
                   record_every=100)
    assert run.diverged_at == 1
    assert run.steps.tolist() == [0, 1]
    assert math.isfinite(run.loss[0]) and not math.isfinite(run.loss[1])


def test_a_run_that_diverges_at_its_last_step_says_so():
    # one batch, one epoch: the only step overflows and is recorded at
    # the end, not by record_every
    X = np.full((8, 2), 1e200)
    y = np.arange(8) % 10
    run = cp.train("SGD", 1e300, X, y, epochs=1, batch_size=8,
                   record_every=100)
    assert run.diverged_at == 1
    assert run.steps.tolist() == [0, 1]
    assert not math.isfinite(run.loss[-1])
    assert run.final_loss == math.inf


def test_a_diverged_run_is_never_chosen():
    # at 1e-3 the weights grow to about 1e146 and the scores to 1e296,
    # large but finite; at 1e300 the weights overflow
    X = np.full((8, 2), 1e150)
    y = np.arange(8) % 10
    s = cp.sweep("SGD", X, y, lrs=[1e-3, 1e300], epochs=1, batch_size=4)
    assert s.runs[0].diverged_at is None
    assert s.runs[1].diverged_at is not None
    assert s.final_loss[1] == math.inf
    assert s.best_index == 0 and s.best_lr == 1e-3


def test_train_refuses_bad_arguments(task):
    X, y = task.X_train, task.y_train
    with pytest.raises(ValueError, match="epochs"):
        cp.train("SGD", 0.1, X, y, epochs=0)
    with pytest.raises(ValueError, match="batch_size"):
        cp.train("SGD", 0.1, X, y, batch_size=0)
    with pytest.raises(ValueError, match="y"):
        cp.train("SGD", 0.1, X, y[:-1])
    with pytest.raises(ValueError, match="record_every"):
        cp.train("SGD", 0.1, X, y, record_every=0)


def test_best_index_skips_what_diverged_and_takes_the_first_tie():
    assert cp.best_index([3.0, np.nan, 1.0, np.inf, 1.0]) == 2
    assert cp.best_index([np.nan, 0.5]) == 1
    with pytest.raises(ValueError, match="diverged"):
        cp.best_index([np.nan, np.inf])
    with pytest.raises(ValueError, match="final_loss"):
        cp.best_index([])


def test_good_range_is_the_unbroken_run_around_the_best():
    lrs = [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
    loss = [4.0, 2.0, 1.0, 1.5, 3.0, 1.9]
    # within twice the best (1.0): 1e-2, 1e-1 and 1; the 1.9 at 100 is
    # cut off by the 3.0 at 10
    assert cp.good_range(lrs, loss, factor=2.0) == (1e-2, 1.0)
    assert cp.good_range(lrs, loss, factor=1.2) == (1e-1, 1e-1)
    assert cp.good_range(lrs[:3], [1.0, np.nan, 1.0], 2.0) == (1e-3, 1e-3)
    with pytest.raises(ValueError, match="factor"):
        cp.good_range(lrs, loss, factor=0.5)
    with pytest.raises(ValueError, match="increasing"):
        cp.good_range(lrs[::-1], loss, factor=2.0)


def test_decades():
    assert cp.decades(1e-3, 1e-1) == pytest.approx(2.0)
    assert cp.decades(0.5, 0.5) == 0.0


def test_sweep_runs_train_at_each_rate(task):
    X, y = task.X_train[:300], task.y_train[:300]
    s = cp.sweep("RMSProp", X, y, lrs=[1e-3, 1e-2], epochs=1)
    assert s.name == "RMSProp"
    for lr, run, final in zip(s.lrs, s.runs, s.final_loss):
        alone = cp.train("RMSProp", lr, X, y, epochs=1)
        np.testing.assert_array_equal(run.loss, alone.loss)
        assert final == alone.final_loss


def test_compare_scores_the_best_run_of_each_sweep(task):
    c = cp.compare(task, names=["SGD", "Adam"], lrs=[1e-2, 1e-1],
                   epochs=1)
    assert list(c.sweeps) == ["SGD", "Adam"]
    for name, s in c.sweeps.items():
        final = c.finals[name]
        assert final is s.runs[s.best_index]
        assert final.lr == s.best_lr
        # the best rate is the one with the lowest final loss
        assert final.final_loss == min(r.final_loss for r in s.runs)
        # a fresh run at that rate repeats it exactly (same seed)
        again = cp.train(name, s.best_lr, task.X_train, task.y_train,
                         epochs=1, record_every=5)
        np.testing.assert_array_equal(again.loss, final.loss)
        np.testing.assert_array_equal(again.W, final.W)
        assert c.test_accuracy[name] == sm.accuracy(
            final.W, final.b, task.X_test, task.y_test)
    rows = c.table()
    assert [r[0] for r in rows] == ["SGD", "Adam"]
    with pytest.raises(ValueError, match="name"):
        cp.compare(task, names=["nothing"])
    with pytest.raises(ValueError, match="names"):
        cp.compare(task, names=[])
    with pytest.raises(ValueError, match="positive"):
        cp.sweep("SGD", task.X_train, task.y_train, lrs=[-1.0, 1.0])


# --- the claims of Chapter 7 ---------------------------------------------

@pytest.fixture(scope="module")
def chapter(task):
    """The comparison exactly as the chapter runs it."""
    return cp.compare(task, record_every=5)


@pytest.fixture(scope="module")
def sweeps(chapter):
    return chapter.sweeps


def loss_at(s, lr):
    return s.final_loss[int(np.flatnonzero(np.isclose(s.lrs, lr))[0])]


def test_the_budget_is_225_steps(chapter):
    for run in chapter.finals.values():
        assert run.steps[-1] == 225 == 5 * run.steps_per_epoch


def test_best_rates_span_a_factor_of_30(sweeps):
    best = {name: s.best_lr for name, s in sweeps.items()}
    g = cp.GRID
    assert best["SGD"] == best["AdaGrad"] == g[6]           # 1
    assert best["momentum"] == best["Nesterov"] == g[5]     # 0.316
    assert best["RMSProp"] == best["Adam"] == best["AdamW"] == g[3]
    assert max(best.values()) / min(best.values()) == pytest.approx(
        math.sqrt(1000))


def test_no_best_rate_is_at_the_edge_of_the_grid(sweeps):
    for s in sweeps.values():
        assert 0 < s.best_index < len(s.lrs) - 1


def test_every_run_at_its_best_rate_falls_below_0_3_in_one_epoch(chapter):
    for run in chapter.finals.values():
        epoch_one = run.loss[list(run.steps).index(run.steps_per_epoch)]
        assert epoch_one < 0.3 < math.log(10.0)


def test_a_shared_rate_leaves_someone_more_than_4_times_its_best(sweeps):
    worst = [max(s.final_loss[i] / s.best_loss for s in sweeps.values())
             for i in range(cp.GRID.size)]
    assert min(worst) > 4.0
    assert int(np.argmin(worst)) == 4  # the kindest rate is 0.1
    # and at 0.1 plain SGD is the furthest behind in loss
    at = {name: s.final_loss[4] for name, s in sweeps.items()}
    assert max(at, key=at.get) == "SGD"


def test_what_the_slider_shows_at_the_ends_of_the_grid(sweeps):
    first = {name: s.final_loss[0] for name, s in sweeps.items()}
    assert min(first, key=first.get) == "RMSProp"
    family = ("SGD", "momentum", "Nesterov")
    assert all(first["Adam"] < first[k] for k in family)
    others = [v for k, v in first.items() if k not in ("SGD", "AdaGrad")]
    assert min(first["SGD"], first["AdaGrad"]) > 2 * max(others)
    last = {name: s.final_loss[-1] for name, s in sweeps.items()}
    for name in ("RMSProp", "Adam", "AdamW"):
        assert last[name] > math.log(10.0)


def test_momentum_moves_like_sgd_at_ten_times_the_rate(sweeps):
    sgd, mom = sweeps["SGD"].final_loss, sweeps["momentum"].final_loss
    # the grid is half a decade apart: two points are a factor of 10
    for i in range(4):
        assert abs(mom[i] / sgd[i + 2] - 1.0) < 0.05
    # at the best rates they part
    assert sweeps["momentum"].best_loss < 0.6 * sgd[7]


def test_good_ranges_are_narrow_and_sgds_is_the_widest(sweeps):
    widths = {name: cp.decades(*cp.good_range(s.lrs, s.final_loss, 2.0))
              for name, s in sweeps.items()}
    for width in widths.values():
        assert 0.5 - 1e-9 <= width <= 1.0 + 1e-9
    assert widths["SGD"] == max(widths.values())
    assert widths["SGD"] > widths["Adam"]


def test_adagrad_lowest_sgd_highest_within_a_factor_3(sweeps):
    best = {name: s.best_loss for name, s in sweeps.items()}
    assert min(best, key=best.get) == "AdaGrad"
    assert max(best, key=best.get) == "SGD"
    assert max(best.values()) / min(best.values()) < 3.0


def test_tuned_momentum_is_within_15_percent_of_tuned_adam(sweeps):
    adam = sweeps["Adam"].best_loss
    assert 0.85 < sweeps["Nesterov"].best_loss / adam < 1.0
    assert 1.0 < sweeps["momentum"].best_loss / adam < 1.15


def test_a_finer_grid_reverses_nesterov_and_adam(task, sweeps):
    refined = {}
    for name, s in sweeps.items():
        near = s.best_lr * 10.0 ** np.array([-0.25, 0.25])
        extra = cp.sweep(name, task.X_train, task.y_train, lrs=near,
                         record_every=5)
        refined[name] = min(s.best_loss, extra.final_loss.min())
    assert sweeps["Nesterov"].best_loss < sweeps["Adam"].best_loss
    assert refined["Adam"] < refined["Nesterov"]
    assert refined["RMSProp"] < refined["Nesterov"]
    assert min(refined, key=refined.get) == "AdaGrad"
    assert max(refined, key=refined.get) == "SGD"


def test_test_accuracy_does_not_separate_the_optimizers(task, chapter):
    accuracy = np.array(list(chapter.test_accuracy.values()))
    assert np.all((accuracy > 0.95) & (accuracy < 0.97))  # about 96%
    spread = round((accuracy.max() - accuracy.min()) * len(task.y_test))
    assert spread == 2
    for run in chapter.finals.values():
        assert sm.accuracy(run.W, run.b, task.X_train,
                           task.y_train) > 0.99


def test_adamw_ends_above_adam_up_to_adams_best_rate(sweeps):
    upto = sweeps["Adam"].best_index + 1
    adam = sweeps["Adam"].final_loss[:upto]
    adamw = sweeps["AdamW"].final_loss[:upto]
    assert np.all(adamw > adam)


def test_nothing_diverged_even_at_lr_1000(task, sweeps):
    for s in sweeps.values():
        assert all(run.diverged_at is None for run in s.runs)
        assert np.all(np.isfinite(s.final_loss))
    run = cp.train("SGD", 1000.0, task.X_train, task.y_train,
                   record_every=5)
    assert run.diverged_at is None and math.isfinite(run.final_loss)


def test_the_softmax_gradient_is_bounded(task):
    # each entry of p - e_y lies in [-1, 1], whatever the weights, so
    # |dJ/dW| is at most the largest |x|
    rng = np.random.default_rng(0)
    W = rng.normal(scale=1e3, size=(64, 10))
    dW, db = sm.cross_entropy_grad(W, np.zeros(10), task.X_train,
                                   task.y_train)
    assert np.abs(dW).max() <= np.abs(task.X_train).max()
    assert np.abs(db).max() <= 1.0


def largest_step(name, lr, X, y, epochs=2):
    """The largest change of one weight in one step of a run."""
    opt = cp.make_optimizer(name, lr)
    W, b = np.zeros((X.shape[1], sm.CLASSES)), np.zeros(sm.CLASSES)
    rng = np.random.default_rng(0)
    largest = 0.0
    for _ in range(epochs):
        for batch in minibatches(len(y), 32, rng):
            before = np.concatenate([W.ravel(), b])
            _, dW, db = sm.loss_and_grad(W, b, X[batch], y[batch])
            opt.step([W, b], [dW, db])
            after = np.concatenate([W.ravel(), b])
            largest = max(largest, np.abs(after - before).max())
    return largest


def test_steps_are_bounded_by_lr_g_and_lr_g_over_one_minus_beta(task):
    # Section 7.6: |g| <= G = max(1, max|x|); a plain SGD step is at most
    # lr G, a momentum or Nesterov step at most lr G / (1 - beta)
    X, y = task.X_train, task.y_train
    G = max(1.0, np.abs(X).max())
    lr = 1000.0
    assert largest_step("SGD", lr, X, y) <= lr * G
    for name in ("momentum", "Nesterov"):
        assert largest_step(name, lr, X, y) <= lr * G / (1 - cp.MOMENTUM)


def test_the_momentum_bound_is_reached_by_a_constant_gradient():
    # with g = G at every step, u = G (1 + beta + ... + beta^(t-1)), which
    # tends to G / (1 - beta): the bound of Section 7.6 is not loose
    opt = cp.make_optimizer("momentum", 1.0)
    theta, G = np.zeros(1), 1.0
    for _ in range(200):
        before = theta.copy()
        opt.step([theta], [np.array([G])])
    step = float(before[0] - theta[0])
    assert step > 1.0 * G                      # longer than plain SGD's
    assert step == pytest.approx(G / (1 - cp.MOMENTUM), rel=1e-6)


DEFAULT_LR = {"SGD": 1e-3, "momentum": 1e-3, "Nesterov": 1e-3,
              "AdaGrad": 1e-2, "RMSProp": 1e-2, "Adam": 1e-3,
              "AdamW": 1e-3}


def test_the_default_rates_are_the_libraries_defaults():
    assert AdaGrad().lr == DEFAULT_LR["AdaGrad"]
    assert RMSProp().lr == DEFAULT_LR["RMSProp"]
    assert Adam().lr == DEFAULT_LR["Adam"]
    assert AdamW().lr == DEFAULT_LR["AdamW"]
    assert RMSProp().alpha == 0.99
    adam = Adam()
    assert (adam.beta1, adam.beta2, adam.eps) == (0.9, 0.999, 1e-8)
    assert AdaGrad().eps == 1e-10


def test_only_rmsprops_default_rate_lands_near_its_best(sweeps):
    ratio = {name: loss_at(sweeps[name], lr) / sweeps[name].best_loss
             for name, lr in DEFAULT_LR.items()}
    assert ratio["RMSProp"] < 3.0
    for name, r in ratio.items():
        if name != "RMSProp":
            assert r > 10.0
    # every default rate is below the best one: too small for 225 steps
    for name, lr in DEFAULT_LR.items():
        assert lr < sweeps[name].best_lr
    # Adam's default rate is about 30 times below its best
    assert sweeps["Adam"].best_lr / 1e-3 == pytest.approx(math.sqrt(1000))


def test_adams_first_step_moves_every_weight_by_lr(task):
    W, b = np.zeros((64, 10)), np.zeros(10)
    _, dW, _ = sm.loss_and_grad(W, b, task.X_train[:32],
                                task.y_train[:32])
    moved = np.abs(dW) > 0
    Adam(lr=0.03).step([W, b], [dW, np.zeros(10)])
    assert np.all(W[~moved] == 0.0)
    np.testing.assert_allclose(np.abs(W[moved]), 0.03, rtol=1e-3)
    # while the gradients differ by more than a factor of 100
    assert np.abs(dW[moved]).max() / np.abs(dW[moved]).min() > 100


def test_raw_pixels_move_sgds_best_rate_far_more_than_adams(task):
    # Exercise 7.4's solution: the same split, without scaling
    digits = load_digits()
    raw = sm.Task(*sm.train_test_split(digits.images, digits.digit, 0.2,
                                       np.random.default_rng(0)))
    np.testing.assert_array_equal(raw.y_test, task.y_test)
    grid = 10.0 ** np.linspace(-5.0, 1.0, 13)
    moved, worse = {}, {}
    for name in ("SGD", "Adam"):
        on_raw = cp.sweep(name, raw.X_train, raw.y_train, lrs=grid,
                          record_every=5)
        on_scaled = cp.sweep(name, task.X_train, task.y_train, lrs=grid,
                             record_every=5)
        moved[name] = on_scaled.best_lr / on_raw.best_lr
        worse[name] = on_raw.best_loss > on_scaled.best_loss
    assert moved["SGD"] == pytest.approx(math.sqrt(1000))  # about 30
    assert moved["Adam"] == pytest.approx(math.sqrt(10))   # about 3
    assert worse == {"SGD": True, "Adam": True}
