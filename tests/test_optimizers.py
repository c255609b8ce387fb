"""Tests for utils.optimizers: the step(params, grads) interface and SGD."""

import numpy as np
import pytest

from utils.optimizers import SGD, Optimizer


def test_sgd_step_updates_in_place():
    p = np.array([1.0, -2.0, 0.5])
    g = np.array([0.5, 1.0, -4.0])
    params = [p]
    SGD(lr=0.1).step(params, [g])
    assert params[0] is p
    # By hand: 1 - 0.05, -2 - 0.1, 0.5 + 0.4.
    np.testing.assert_allclose(p, [0.95, -2.1, 0.9], rtol=1e-15)
    np.testing.assert_array_equal(g, [0.5, 1.0, -4.0])


def test_sgd_step_on_several_shapes():
    rng = np.random.default_rng(0)
    shapes = [(), (3,), (2, 4), (1, 2, 3)]
    params = [rng.normal(size=s) for s in shapes]
    grads = [rng.normal(size=s) for s in shapes]
    before = [p.copy() for p in params]
    ids = [id(p) for p in params]
    lr = 0.25
    SGD(lr).step(params, grads)
    assert [id(p) for p in params] == ids
    for p, p0, g in zip(params, before, grads):
        assert p.shape == p0.shape
        np.testing.assert_array_equal(p, p0 - lr * g)


def test_sgd_updates_a_view_of_a_larger_array():
    # A layer's weights may be a view: the update must reach the base.
    base = np.zeros((2, 3))
    row = base[1]
    SGD(0.5).step([row], [np.array([2.0, 4.0, -6.0])])
    np.testing.assert_array_equal(base, [[0, 0, 0], [-1.0, -2.0, 3.0]])


def test_repeated_steps_on_a_quadratic():
    # f(p) = p^2 / 2, gradient p: each step multiplies p by (1 - lr).
    p = np.array([8.0])
    opt = SGD(lr=0.25)
    for _ in range(3):
        opt.step([p], [p.copy()])
    assert p[0] == pytest.approx(8.0 * 0.75 ** 3, rel=1e-15)


def test_grads_may_be_lists_and_params_a_tuple():
    p = np.array([1.0, 2.0])
    SGD(1.0).step((p,), [[0.5, 0.5]])
    np.testing.assert_array_equal(p, [0.5, 1.5])


def test_float32_params_stay_float32():
    p = np.array([1.0, 2.0], dtype=np.float32)
    SGD(0.5).step([p], [np.array([1.0, 1.0])])
    assert p.dtype == np.float32
    np.testing.assert_array_equal(p, np.array([0.5, 1.5], np.float32))


def test_lr_is_stored_as_float_and_shown():
    opt = SGD(lr=1)
    assert opt.lr == 1.0 and type(opt.lr) is float
    assert repr(SGD(0.05)) == "SGD(lr=0.05)"


@pytest.mark.parametrize("lr", [0, 0.0, -0.1, float("nan"), float("inf"),
                                float("-inf"), "0.1", True, None, [0.1]])
def test_bad_lr_is_named(lr):
    with pytest.raises(ValueError, match=r"^lr "):
        SGD(lr=lr)


@pytest.mark.parametrize("lr", [1e-8, 0.5, 10, np.float32(0.1),
                                np.int64(2)])
def test_good_lr_values(lr):
    assert SGD(lr).lr == pytest.approx(float(lr))


@pytest.mark.parametrize("params", [np.zeros(2), None, "p",
                                    {"w": np.zeros(2)}])
def test_params_must_be_a_list(params):
    with pytest.raises(ValueError, match=r"^params must be a list"):
        SGD(0.1).step(params, [np.zeros(2)])


def test_grads_must_be_a_list():
    with pytest.raises(ValueError, match=r"^grads must be a list"):
        SGD(0.1).step([np.zeros(2)], np.zeros(2))


def test_length_mismatch():
    with pytest.raises(ValueError) as info:
        SGD(0.1).step([np.zeros(2), np.zeros(3)], [np.zeros(2)])
    message = str(info.value)
    assert "same length" in message
    assert "2 and 1" in message


def test_grad_shape_mismatch_names_both_positions():
    params = [np.zeros(2), np.zeros((2, 3))]
    grads = [np.zeros(2), np.zeros((3, 2))]
    with pytest.raises(ValueError) as info:
        SGD(0.1).step(params, grads)
    message = str(info.value)
    assert "grads[1]" in message and "params[1]" in message
    assert "(3, 2)" in message and "(2, 3)" in message


def test_broadcastable_grad_is_still_a_mismatch():
    with pytest.raises(ValueError, match=r"grads\[0\].*params\[0\]"):
        SGD(0.1).step([np.zeros(3)], [np.float64(1.0)])


def test_a_failed_check_changes_no_parameter():
    first = np.ones(2)
    params = [first, np.ones(3)]
    with pytest.raises(ValueError):
        SGD(0.1).step(params, [np.ones(2), np.ones(4)])
    np.testing.assert_array_equal(first, [1.0, 1.0])


@pytest.mark.parametrize("param", [np.array([1, 2]), [1.0, 2.0], 1.0,
                                   np.array([True, False]),
                                   np.array(["a", "b"])])
def test_params_must_be_float_arrays(param):
    with pytest.raises(ValueError) as info:
        SGD(0.1).step([np.zeros(1), param], [np.zeros(1), np.ones(2)])
    message = str(info.value)
    assert message.startswith("params[1]")
    assert "in place" in message


def test_integer_param_is_not_changed():
    p = np.array([1, 2])
    with pytest.raises(ValueError, match="int"):
        SGD(0.1).step([p], [np.array([1.0, 1.0])])
    np.testing.assert_array_equal(p, [1, 2])


@pytest.mark.parametrize("grad", [["a", "b"], [None, 1.0],
                                  np.array([True, False]),
                                  [object(), object()]])
def test_grads_must_hold_numbers(grad):
    with pytest.raises(ValueError, match=r"^grads\[0\] must hold"):
        SGD(0.1).step([np.zeros(2)], [grad])


def test_empty_lists_are_a_no_op():
    SGD(0.1).step([], [])


def test_base_class_has_no_update_rule():
    with pytest.raises(NotImplementedError):
        Optimizer().step([np.zeros(1)], [np.zeros(1)])


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5, float("nan"), "0.9",
                                   True])
def test_fraction_rejects_values_outside_zero_to_one(value):
    from utils import _validate

    with pytest.raises(ValueError, match="beta1"):
        _validate.fraction(value, "beta1")


def test_fraction_accepts_zero_and_just_below_one():
    from utils import _validate

    assert _validate.fraction(0, "alpha") == 0.0
    assert _validate.fraction(np.float64(0.999), "alpha") == 0.999
