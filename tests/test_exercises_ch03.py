"""utils.exercises.ch03: right answers pass, each usual slip gets its hint.

A check must never raise, whatever it is given.
"""

import numpy as np
import pytest

from checks import hints as hinted
from checks import passes as passed
from checks import stub
from utils.exercises import ch03


# --- Exercise 3.1: the iterator -------------------------------------------

def good_minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def generator_minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    for i in range(0, n, batch_size):
        yield order[i:i + batch_size]


def test_iterator_right_answers_pass():
    passed(ch03.check_minibatches(good_minibatches))
    passed(ch03.check_minibatches(generator_minibatches))


def test_iterator_right_answer_from_utils_passes():
    from utils.minibatch import minibatches
    passed(ch03.check_minibatches(minibatches))


def with_replacement(n, batch_size, rng):
    return [rng.integers(0, n, size=min(batch_size, n - i))
            for i in range(0, n, batch_size)]


def dropped_last(n, batch_size, rng):
    order = rng.permutation(n)
    stop = n - n % batch_size
    return [order[i:i + batch_size] for i in range(0, stop, batch_size)]


def global_random(n, batch_size, rng):
    order = np.random.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def no_shuffle(n, batch_size, rng):
    order = np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def own_generator(n, batch_size, rng):
    order = np.random.default_rng(0).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def wrong_sizes(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[:1]] + [order[i:i + batch_size]
                          for i in range(1, n, batch_size)]


@pytest.mark.parametrize("fn, words", [
    (with_replacement, ["more than once", "rng.permutation"]),
    # n = 10, batch_size = 3: one index is left out, and it is said so.
    (dropped_last, ["not every sample", "smaller last batch",
                    "1 index never appears.", "the last one is missing"]),
    (global_random, ["global random state", "rng.permutation"]),
    (no_shuffle, ["stored order", "shuffle"]),
    (own_generator, ["different seeds", "rng passed in"]),
    (wrong_sizes, ["batch sizes should be"]),
])
def test_iterator_typical_slips_get_their_hint(fn, words):
    hinted(ch03.check_minibatches(fn), *words)


def float_batches(n, batch_size, rng):
    order = rng.permutation(n).astype(float)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def test_whole_numbers_stored_as_floats_are_indices_too():
    passed(ch03.check_minibatches(float_batches))


def skips_two(n, batch_size, rng):
    order = rng.permutation(n)[:-2]
    return [order[i:i + batch_size] for i in range(0, n - 2, batch_size)]


def test_several_missing_samples_are_counted_in_the_plural():
    # n = 12, batch_size = 4: two of the twelve never appear.
    hinted(ch03.check_minibatches(skips_two), "2 indices never appear.")


def test_check_restores_the_global_random_state():
    np.random.seed(99)
    before = np.random.get_state()
    ch03.check_minibatches(global_random)
    after = np.random.get_state()
    assert np.array_equal(before[1], after[1]) and before[2] == after[2]


def stub_generator(n, batch_size, rng):
    raise NotImplementedError
    yield


def crashes(n, batch_size, rng):
    return 1 / 0


@pytest.mark.parametrize("answer, words", [
    (stub, ["NotImplementedError"]),
    (stub_generator, ["NotImplementedError"]),
    (crashes, ["ZeroDivisionError"]),
    (None, ["pass your function"]),
    (lambda n, b, rng: None, ["returned None"]),
    (lambda n, b, rng: rng.permutation(n), ["one array"]),
    (lambda n, b, rng: [], ["no batches"]),
    (lambda n, b, rng: [np.full(n, np.nan)], ["whole-number"]),
    (lambda n, b, rng: [np.zeros((2, 2), int)], ["1-D"]),
    (lambda n, b, rng: [np.arange(n) + 1], ["outside"]),
    (lambda n, b, rng: 5, ["TypeError"]),
])
def test_iterator_check_never_raises(answer, words):
    hinted(ch03.check_minibatches(answer), *words)


# --- Exercise 3.2: the mini-batch gradient --------------------------------

def good_gradient(w, b, x, y, batch):
    xb, yb = x[batch], y[batch]
    r = w * xb + b - yb
    return 2 * np.mean(r * xb), 2 * np.mean(r)


def summed(w, b, x, y, batch):
    xb, yb = x[batch], y[batch]
    r = w * xb + b - yb
    return 2 * np.sum(r * xb), 2 * np.sum(r)


def full_data(w, b, x, y, batch):
    r = w * x + b - y
    return 2 * np.mean(r * x), 2 * np.mean(r)


def divided_by_n(w, b, x, y, batch):
    xb, yb = x[batch], y[batch]
    r = w * xb + b - yb
    return 2 * np.sum(r * xb) / x.size, 2 * np.sum(r) / x.size


def swapped(w, b, x, y, batch):
    return good_gradient(w, b, x, y, batch)[::-1]


def wrong_sign(w, b, x, y, batch):
    dw, db = good_gradient(w, b, x, y, batch)
    return -dw, -db


def no_two(w, b, x, y, batch):
    dw, db = good_gradient(w, b, x, y, batch)
    return dw / 2, db / 2


def test_gradient_right_answers_pass():
    passed(ch03.check_batch_gradient(good_gradient))
    passed(ch03.check_batch_gradient(
        lambda w, b, x, y, batch: np.array(good_gradient(w, b, x, y,
                                                         batch))))


@pytest.mark.parametrize("fn, words", [
    (summed, ["times too large", "np.mean"]),
    (full_data, ["full data", "x[batch]"]),
    (divided_by_n, ["divided by n"]),
    (swapped, ["swapped"]),
    (wrong_sign, ["wrong sign"]),
    (no_two, ["factor 2"]),
    (lambda w, b, x, y, batch: (0.0, 0.0), ["should be"]),
])
def test_gradient_typical_slips_get_their_hint(fn, words):
    hinted(ch03.check_batch_gradient(fn), *words)


@pytest.mark.parametrize("answer, words", [
    (stub, ["NotImplementedError"]),
    (None, ["pass your function"]),
    (lambda *a: None, ["returned None"]),
    (lambda *a: (1.0, 2.0, 3.0), ["two values"]),
    (lambda *a: (np.nan, 0.0), ["not a finite number"]),
    (lambda w, b, x, y, batch: (x[batch], y[batch]), ["single number"]),
    (lambda *a: "text", ["two values"]),
])
def test_gradient_check_never_raises(answer, words):
    hinted(ch03.check_batch_gradient(answer), *words)


def per_sample(w, b, x, y, batch):
    xb, yb = x[batch], y[batch]
    r = w * xb + b - yb
    return 2 * r * xb, 2 * r


def test_one_gradient_per_sample_of_the_batch_is_told_to_average():
    feedback = ch03.check_batch_gradient(per_sample)
    hinted(feedback, "single number", "np.mean")


def test_the_averaging_hint_only_for_one_value_per_sample():
    # A learner's array with one value per sample of the data, or of the
    # batch, gets the hint; an array of another length does not.
    from utils.exercises._feedback import LearnerError, number

    with pytest.raises(LearnerError, match="np.mean"):
        number(np.ones(342), "w")
    with pytest.raises(LearnerError, match="np.mean"):
        number(np.ones(16), "w", samples=16)
    for value, samples in ((np.ones(3), 342), (np.ones(342), 16),
                           (np.ones((2, 2)), 342), (np.ones(342), None)):
        with pytest.raises(LearnerError) as info:
            number(value, "w", samples=samples)
        assert "np.mean" not in info.value.message
        assert "single number" in info.value.message


# --- Exercise 3.3: four times the batch -----------------------------------

def test_variance_factor_values():
    law, exact = ch03.variance_factors()
    assert law == 0.25
    assert exact == pytest.approx(0.25 * (342 - 16) / (342 - 4))
    assert round(exact, 4) == 0.2411


@pytest.mark.parametrize("answer", [0.25, 1 / 4, np.float64(0.25),
                                    0.2411, 0.25 * 326 / 338])
def test_variance_factor_right_answers_pass(answer):
    passed(ch03.check_variance_factor(answer))


@pytest.mark.parametrize("answer, words", [
    (4.0, ["upside down"]),
    (0.5, ["standard deviation"]),
    (1 / 16, ["1/B^2"]),
    (1.0, ["does change"]),
    (0.4, ["sigma^2 / B"]),
    (9.898 / 41.950, ["looks measured", "sampling noise"]),
    (None, ["None"]),
    (float("nan"), ["not a finite number"]),
    ("0.25", ["single number"]),
    (np.array([0.25, 0.25]), ["single number"]),
])
def test_variance_factor_hints(answer, words):
    hinted(ch03.check_variance_factor(answer), *words)


def test_an_array_answer_is_not_told_to_average():
    feedback = ch03.check_variance_factor(np.array([0.25, 0.25]))
    assert "np.mean" not in feedback.message


def test_the_data_size_comes_from_the_data_module():
    from utils.data import PENGUIN_ROWS, flipper_and_mass

    assert ch03.N_PENGUINS == PENGUIN_ROWS == flipper_and_mass()[0].size
