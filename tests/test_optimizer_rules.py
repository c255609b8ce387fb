"""The update rules of utils.optimizers, checked without PyTorch.

Each rule is checked three ways: a first step worked out by hand, many
steps against a scalar loop in plain Python floats written here from the
documented algorithm (a second, independent derivation), and behaviour
the course teaches (convergence, bias correction, the two momentum
conventions, coupled and decoupled weight decay).
"""

import math

import numpy as np
import pytest

from utils.optimizers import SGD, AdaGrad, Adam, AdamW, RMSProp

# ---------------------------------------------------------------------
# Scalar reference loops: one float parameter, gradients from grad(t, x)
# ---------------------------------------------------------------------


def ref_sgd(x, grad, steps, lr, momentum=0.0, dampening=0.0,
            weight_decay=0.0, nesterov=False):
    xs, b = [], None
    for t in range(1, steps + 1):
        g = grad(t, x)
        g = g + weight_decay * x
        if momentum != 0.0:
            if t == 1:
                b = g
            else:
                b = momentum * b + (1.0 - dampening) * g
            if nesterov:
                g = g + momentum * b
            else:
                g = b
        x = x - lr * g
        xs.append(x)
    return xs


def ref_adagrad(x, grad, steps, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                initial_accumulator_value=0.0, eps=1e-10):
    xs, s = [], initial_accumulator_value
    for t in range(1, steps + 1):
        g = grad(t, x) + weight_decay * x
        lr_t = lr / (1.0 + (t - 1) * lr_decay)
        s = s + g * g
        x = x - lr_t * g / (math.sqrt(s) + eps)
        xs.append(x)
    return xs


def ref_rmsprop(x, grad, steps, lr=1e-2, alpha=0.99, eps=1e-8,
                weight_decay=0.0, momentum=0.0, centered=False):
    xs, v, g_mean, b = [], 0.0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = grad(t, x) + weight_decay * x
        v = alpha * v + (1.0 - alpha) * g * g
        u = v
        if centered:
            g_mean = alpha * g_mean + (1.0 - alpha) * g
            u = v - g_mean * g_mean
        if momentum > 0.0:
            b = momentum * b + g / (math.sqrt(u) + eps)
            x = x - lr * b
        else:
            x = x - lr * g / (math.sqrt(u) + eps)
        xs.append(x)
    return xs


def ref_adam(x, grad, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
             weight_decay=0.0, amsgrad=False, decoupled=False):
    xs, m, v, v_max = [], 0.0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = grad(t, x)
        if decoupled:
            x = x - lr * weight_decay * x
        else:
            g = g + weight_decay * x
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * g * g
        m_hat = m / (1.0 - beta1 ** t)
        if amsgrad:
            v_max = max(v_max, v)
            v_hat = v_max / (1.0 - beta2 ** t)
        else:
            v_hat = v / (1.0 - beta2 ** t)
        x = x - lr * m_hat / (math.sqrt(v_hat) + eps)
        xs.append(x)
    return xs


def ref_adamw(x, grad, steps, weight_decay=1e-2, **kwargs):
    return ref_adam(x, grad, steps, weight_decay=weight_decay,
                    decoupled=True, **kwargs)


# ---------------------------------------------------------------------
# First steps by hand
# ---------------------------------------------------------------------


def one_step(optimizer, theta, g):
    p = np.array(theta, dtype=np.float64)
    optimizer.step([p], [np.array(g, dtype=np.float64)])
    return p


def test_sgd_first_step_by_hand():
    # 1 - 0.1 * 0.5 and -2 - 0.1 * 4
    p = one_step(SGD(lr=0.1), [1.0, -2.0], [0.5, 4.0])
    np.testing.assert_allclose(p, [0.95, -2.4], rtol=1e-15)


def test_sgd_momentum_first_step_uses_the_whole_gradient():
    # b_1 = g, whatever the dampening: 1 - 0.1 * 2
    p = one_step(SGD(0.1, momentum=0.9, dampening=0.5), [1.0], [2.0])
    np.testing.assert_allclose(p, [0.8], rtol=1e-15)


def test_sgd_nesterov_first_step_by_hand():
    # b_1 = g = 2, step direction g + 0.9 * b = 3.8: 1 - 0.1 * 3.8
    p = one_step(SGD(0.1, momentum=0.9, nesterov=True), [1.0], [2.0])
    np.testing.assert_allclose(p, [0.62], rtol=1e-15)


def test_sgd_weight_decay_first_step_by_hand():
    # g + lambda * theta = 2 + 0.5 * 4 = 4: 4 - 0.1 * 4
    p = one_step(SGD(0.1, weight_decay=0.5), [4.0], [2.0])
    np.testing.assert_allclose(p, [3.6], rtol=1e-15)


def test_adagrad_first_step_by_hand():
    # s = 16 + 3^2 = 25, so the step is 0.1 * 3 / (5 + 1e-10)
    p = one_step(AdaGrad(lr=0.1, initial_accumulator_value=16.0),
                 [1.0], [3.0])
    np.testing.assert_allclose(p, [1.0 - 0.3 / (5.0 + 1e-10)], rtol=1e-15)
    np.testing.assert_allclose(p, [0.94], rtol=1e-10)


def test_rmsprop_first_step_by_hand():
    # v = 0.01 * 2^2 = 0.04, sqrt(v) = 0.2: 1 - 0.01 * 2 / (0.2 + 1e-8)
    p = one_step(RMSProp(lr=0.01), [1.0], [2.0])
    np.testing.assert_allclose(p, [1.0 - 0.02 / (0.2 + 1e-8)], rtol=1e-15)
    np.testing.assert_allclose(p, [0.9], rtol=1e-7)


def test_rmsprop_centered_first_step_by_hand():
    # v = 0.5 * 4 = 2, gbar = 0.5 * 2 = 1, u = 2 - 1 = 1:
    # 1 - 0.1 * 2 / (1 + 1e-8)
    p = one_step(RMSProp(lr=0.1, alpha=0.5, centered=True), [1.0], [2.0])
    np.testing.assert_allclose(p, [1.0 - 0.2 / (1.0 + 1e-8)], rtol=1e-15)


def test_adam_first_step_by_hand():
    # m = 0.1 * g, v = 0.001 * g^2; after correction m_hat = g and
    # v_hat = g^2, so the step is lr * g / (|g| + eps)
    p = one_step(Adam(lr=0.01), [1.0, 1.0], [3.0, -0.5])
    expected = [1.0 - 0.01 * 3.0 / (3.0 + 1e-8),
                1.0 + 0.01 * 0.5 / (0.5 + 1e-8)]
    np.testing.assert_allclose(p, expected, rtol=1e-15)


def test_adamw_first_step_by_hand():
    # shrink 2 * (1 - 0.01 * 0.5) = 1.99, then the Adam step of 0.01
    p = one_step(AdamW(lr=0.01, weight_decay=0.5), [2.0], [3.0])
    np.testing.assert_allclose(p, [1.99 - 0.01 * 3.0 / (3.0 + 1e-8)],
                               rtol=1e-15)


# ---------------------------------------------------------------------
# Many steps against the scalar references
# ---------------------------------------------------------------------

CASES = [
    (SGD, ref_sgd, dict(lr=0.05)),
    (SGD, ref_sgd, dict(lr=0.05, momentum=0.9)),
    (SGD, ref_sgd, dict(lr=0.05, momentum=0.8, dampening=0.3,
                        weight_decay=0.1)),
    (SGD, ref_sgd, dict(lr=0.05, momentum=0.9, nesterov=True,
                        weight_decay=0.01)),
    (AdaGrad, ref_adagrad, dict()),
    (AdaGrad, ref_adagrad, dict(lr=0.3, lr_decay=0.05, weight_decay=0.1,
                                initial_accumulator_value=0.2)),
    (RMSProp, ref_rmsprop, dict()),
    (RMSProp, ref_rmsprop, dict(lr=0.02, alpha=0.9, weight_decay=0.1,
                                momentum=0.7)),
    (RMSProp, ref_rmsprop, dict(lr=0.01, alpha=0.95, centered=True,
                                momentum=0.5, eps=1e-6)),
    (Adam, ref_adam, dict()),
    (Adam, ref_adam, dict(lr=0.05, beta1=0.5, beta2=0.9, eps=1e-6,
                          weight_decay=0.2)),
    (Adam, ref_adam, dict(lr=0.05, amsgrad=True)),
    (AdamW, ref_adamw, dict()),
    (AdamW, ref_adamw, dict(lr=0.05, beta1=0.8, weight_decay=0.3,
                            amsgrad=True)),
]


def case_id(case):
    cls, _, kwargs = case
    return cls.__name__ + "".join(f"-{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_many_steps_match_the_scalar_reference(case):
    cls, reference, kwargs = case
    rng = np.random.default_rng(7)
    steps = 40
    curvature = np.array([0.5, 2.0, 8.0])
    noise = rng.normal(size=(steps + 1, 3))
    theta0 = rng.normal(size=3)

    # gradient of sum(a * x^2 / 2) plus a fixed noise per step; the
    # same formula, element by element, drives the scalar reference
    theta = theta0.copy()
    optimizer = cls(**kwargs)
    history = []
    for t in range(1, steps + 1):
        optimizer.step([theta], [curvature * theta + noise[t]])
        history.append(theta.copy())
    history = np.array(history)

    for j in range(3):
        def grad(t, x, j=j):
            return float(curvature[j]) * x + float(noise[t, j])

        expected = reference(float(theta0[j]), grad, steps, **kwargs)
        np.testing.assert_allclose(history[:, j], expected,
                                   rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------
# What the course teaches about them
# ---------------------------------------------------------------------

HESSIAN = np.array([1.0, 10.0])
MINIMUM = np.array([1.0, -2.0])


@pytest.mark.parametrize("optimizer", [
    SGD(0.1), SGD(0.05, momentum=0.9),
    SGD(0.05, momentum=0.9, nesterov=True), AdaGrad(lr=0.5),
    RMSProp(lr=0.01), RMSProp(lr=0.01, momentum=0.5, centered=True),
    Adam(lr=0.05), Adam(lr=0.05, amsgrad=True),
    AdamW(lr=0.05, weight_decay=0.0),
], ids=repr)
def test_converges_on_a_quadratic(optimizer):
    # f(x) = sum(h * (x - c)^2) / 2, minimum at c
    theta = np.zeros(2)
    for _ in range(1000):
        optimizer.step([theta], [HESSIAN * (theta - MINIMUM)])
    np.testing.assert_allclose(theta, MINIMUM, atol=1e-6)


@pytest.mark.parametrize("cls", [SGD, Adam])
def test_coupled_weight_decay_finds_the_l2_minimum(cls):
    # the minimum of f(x) + lambda * x^2 / 2 is h * c / (h + lambda)
    lam = 0.5
    theta = np.zeros(2)
    optimizer = cls(lr=0.05, weight_decay=lam)
    for _ in range(3000):
        optimizer.step([theta], [HESSIAN * (theta - MINIMUM)])
    np.testing.assert_allclose(theta, HESSIAN * MINIMUM / (HESSIAN + lam),
                               atol=1e-6)


def velocity_momentum(x, grads, lrs, mu):
    """The other convention: v <- mu*v - lr*g, x <- x + v."""
    xs, v = [], 0.0
    for g, lr in zip(grads, lrs):
        v = mu * v - lr * g
        x = x + v
        xs.append(x)
    return xs


def sgd_momentum(x, grads, lrs, mu):
    p = np.array([x])
    optimizer = SGD(lrs[0], momentum=mu)
    xs = []
    for g, lr in zip(grads, lrs):
        optimizer.lr = lr
        optimizer.step([p], [np.array([g])])
        xs.append(p[0])
    return xs


def test_momentum_conventions_agree_while_lr_is_constant():
    grads = list(np.random.default_rng(3).normal(size=30))
    lrs = [0.1] * 30
    np.testing.assert_allclose(sgd_momentum(1.0, grads, lrs, 0.9),
                               velocity_momentum(1.0, grads, lrs, 0.9),
                               rtol=1e-12)


def test_momentum_conventions_part_when_lr_changes():
    grads = list(np.random.default_rng(3).normal(size=30))
    lrs = [0.1] * 15 + [0.01] * 15
    ours = sgd_momentum(1.0, grads, lrs, 0.9)
    theirs = velocity_momentum(1.0, grads, lrs, 0.9)
    np.testing.assert_allclose(ours[:15], theirs[:15], rtol=1e-12)
    # after the change, b = sum of mu^k g is all rescaled by the new lr,
    # while v keeps the old lr on its past gradients
    assert abs(ours[15] - theirs[15]) > 1e-3


@pytest.mark.parametrize("g", [1e-6, -1e-3, 0.1, -1.0, 1e3, -1e6])
def test_adam_first_step_moves_each_parameter_by_about_lr(g):
    # bias correction makes m_hat = g and v_hat = g^2 at t = 1, so the
    # step is lr * |g| / (|g| + eps) whatever the gradient's scale
    lr, eps = 0.01, 1e-8
    p = one_step(Adam(lr=lr, eps=eps), [0.0], [g])
    step = abs(p[0])
    assert step == pytest.approx(lr * abs(g) / (abs(g) + eps), rel=1e-14)
    assert np.sign(p[0]) == -np.sign(g)
    if abs(g) >= 1e-3:
        assert step == pytest.approx(lr, rel=1e-5)


def test_adam_corrects_both_moments_on_a_constant_gradient():
    # with g constant, m_hat = g and v_hat = g^2 at every step, so every
    # step is the same; correcting only m would make early steps larger
    p = np.array([0.0])
    optimizer = Adam(lr=0.01)
    for t in range(1, 6):
        before = p[0]
        optimizer.step([p], [np.array([4.0])])
        assert before - p[0] == pytest.approx(0.04 / (4.0 + 1e-8),
                                              rel=1e-12)


def test_adam_and_adamw_agree_without_weight_decay():
    rng = np.random.default_rng(5)
    a = rng.normal(size=4)
    b = a.copy()
    adam, adamw = Adam(lr=0.02), AdamW(lr=0.02, weight_decay=0.0)
    for _ in range(10):
        g = rng.normal(size=4)
        adam.step([a], [g])
        adamw.step([b], [g])
    np.testing.assert_array_equal(a, b)


def test_adam_and_adamw_differ_with_weight_decay():
    rng = np.random.default_rng(5)
    a = rng.normal(size=4)
    b = a.copy()
    adam = Adam(lr=0.02, weight_decay=0.1)
    adamw = AdamW(lr=0.02, weight_decay=0.1)
    for _ in range(10):
        g = rng.normal(size=4)
        adam.step([a], [g])
        adamw.step([b], [g])
    assert np.max(np.abs(a - b)) > 1e-4


def test_decoupled_decay_shrinks_by_a_fixed_factor():
    # with a zero gradient AdamW multiplies theta by (1 - lr*lambda) per
    # step; Adam's coupled decay goes through 1 / sqrt(v_hat) and moves
    # every parameter by about lr, whatever its size (while lr is small
    # next to it, so that lambda * theta hardly changes)
    start = np.array([100.0, 10.0, 1.0])
    a, b = start.copy(), start.copy()
    adam = Adam(lr=0.001, weight_decay=0.1)
    adamw = AdamW(lr=0.001, weight_decay=0.1)
    zero = np.zeros(3)
    for _ in range(5):
        adam.step([a], [zero])
        adamw.step([b], [zero])
    np.testing.assert_allclose(b, start * (1 - 0.001 * 0.1) ** 5,
                               rtol=1e-15)
    np.testing.assert_allclose(start - a, 5 * 0.001, rtol=1e-3)


def test_plain_sgd_is_bit_for_bit_the_textbook_update():
    rng = np.random.default_rng(11)
    lr = 0.1
    p = rng.normal(size=5)
    q = p.copy()
    optimizer = SGD(lr)
    for _ in range(20):
        g = rng.normal(size=5)
        optimizer.step([p], [g])
        q = q - lr * g
    np.testing.assert_array_equal(p, q)


# ---------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------

BAD = [
    (SGD, dict(lr=0.0), "lr"),
    (SGD, dict(lr=float("nan")), "lr"),
    (SGD, dict(lr=0.1, momentum=1.0), "momentum"),
    (SGD, dict(lr=0.1, momentum=-0.1), "momentum"),
    (SGD, dict(lr=0.1, momentum="0.9"), "momentum"),
    (SGD, dict(lr=0.1, dampening=1.5), "dampening"),
    (SGD, dict(lr=0.1, weight_decay=-1e-4), "weight_decay"),
    (SGD, dict(lr=0.1, weight_decay=float("inf")), "weight_decay"),
    (SGD, dict(lr=0.1, nesterov=True), "nesterov"),
    (SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     "dampening"),
    (SGD, dict(lr=0.1, momentum=0.9, nesterov="yes"), "nesterov"),
    (AdaGrad, dict(lr=-0.01), "lr"),
    (AdaGrad, dict(eps=0.0), "eps"),
    (AdaGrad, dict(lr_decay=-0.1), "lr_decay"),
    (AdaGrad, dict(initial_accumulator_value=-1.0),
     "initial_accumulator_value"),
    (AdaGrad, dict(weight_decay=-0.1), "weight_decay"),
    (RMSProp, dict(lr=float("inf")), "lr"),
    (RMSProp, dict(alpha=1.0), "alpha"),
    (RMSProp, dict(alpha=-0.5), "alpha"),
    (RMSProp, dict(eps=-1e-8), "eps"),
    (RMSProp, dict(momentum=1.2), "momentum"),
    (RMSProp, dict(weight_decay=-0.1), "weight_decay"),
    (RMSProp, dict(centered=1), "centered"),
    (Adam, dict(lr=0), "lr"),
    (Adam, dict(beta1=1.0), "beta1"),
    (Adam, dict(beta1=-0.1), "beta1"),
    (Adam, dict(beta2=1.0), "beta2"),
    (Adam, dict(beta2=float("nan")), "beta2"),
    (Adam, dict(eps=0.0), "eps"),
    (Adam, dict(eps=float("nan")), "eps"),
    (Adam, dict(weight_decay=-0.01), "weight_decay"),
    (Adam, dict(amsgrad=None), "amsgrad"),
    (AdamW, dict(weight_decay=-0.01), "weight_decay"),
    (AdamW, dict(beta2=1.5), "beta2"),
    (AdamW, dict(eps=True), "eps"),
]


@pytest.mark.parametrize("cls, kwargs, name", BAD,
                         ids=[f"{c.__name__}-{k}" for c, k, _ in BAD])
def test_bad_hyperparameter_is_named(cls, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        cls(**kwargs)


def test_nesterov_message_names_momentum_and_dampening():
    with pytest.raises(ValueError) as info:
        SGD(0.1, nesterov=True)
    message = str(info.value)
    assert message.startswith("nesterov")
    assert "momentum" in message and "dampening" in message


def test_defaults_are_pytorchs():
    adam, adamw = Adam(), AdamW()
    assert (adam.lr, adam.beta1, adam.beta2, adam.eps,
            adam.weight_decay) == (1e-3, 0.9, 0.999, 1e-8, 0.0)
    assert (adamw.lr, adamw.beta1, adamw.beta2, adamw.eps,
            adamw.weight_decay) == (1e-3, 0.9, 0.999, 1e-8, 1e-2)
    rms = RMSProp()
    assert (rms.lr, rms.alpha, rms.eps, rms.momentum,
            rms.centered) == (1e-2, 0.99, 1e-8, 0.0, False)
    ada = AdaGrad()
    assert (ada.lr, ada.lr_decay, ada.initial_accumulator_value,
            ada.eps) == (1e-2, 0.0, 0.0, 1e-10)
    sgd = SGD(0.1)
    assert (sgd.momentum, sgd.dampening, sgd.weight_decay,
            sgd.nesterov) == (0.0, 0.0, 0.0, False)


ALL = [
    lambda: SGD(0.1, momentum=0.9),
    lambda: SGD(0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
    lambda: AdaGrad(weight_decay=0.1),
    lambda: RMSProp(momentum=0.5, centered=True, weight_decay=0.1),
    lambda: Adam(weight_decay=0.1, amsgrad=True),
    lambda: AdamW(),
]
ALL_IDS = ["sgd", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]


@pytest.mark.parametrize("make", ALL, ids=ALL_IDS)
def test_grad_shape_mismatch_is_named(make):
    with pytest.raises(ValueError, match=r"grads\[1\].*params\[1\]"):
        make().step([np.zeros(2), np.zeros(3)], [np.zeros(2), np.zeros(2)])


@pytest.mark.parametrize("make", ALL, ids=ALL_IDS)
def test_complex_grads_are_refused(make):
    with pytest.raises(ValueError, match=r"^grads\[0\]"):
        make().step([np.zeros(2)], [np.ones(2) * 1j])


# ---------------------------------------------------------------------
# State per parameter, in place
# ---------------------------------------------------------------------


@pytest.mark.parametrize("make", ALL, ids=ALL_IDS)
def test_state_is_kept_per_parameter(make):
    # two parameters of different shapes in one list follow the same
    # path as each one alone with its own optimizer
    rng = np.random.default_rng(2)
    w, b = rng.normal(size=(3, 2)), rng.normal(size=4)
    w_alone, b_alone = w.copy(), b.copy()
    together, opt_w, opt_b = make(), make(), make()
    for _ in range(8):
        gw, gb = rng.normal(size=(3, 2)), rng.normal(size=4)
        together.step([w, b], [gw, gb])
        opt_w.step([w_alone], [gw])
        opt_b.step([b_alone], [gb])
    np.testing.assert_array_equal(w, w_alone)
    np.testing.assert_array_equal(b, b_alone)


@pytest.mark.parametrize("make", ALL, ids=ALL_IDS)
def test_updates_in_place_and_leaves_grads_alone(make):
    rng = np.random.default_rng(4)
    base = rng.normal(size=(2, 3))
    w = base[1]                      # a view: the update must reach base
    b = rng.normal(size=5)
    params = [w, b]
    addresses = [p.__array_interface__["data"][0] for p in params]
    optimizer = make()
    for _ in range(3):
        before = base.copy(), b.copy()
        grads = [rng.normal(size=3), rng.normal(size=5)]
        kept = [g.copy() for g in grads]
        optimizer.step(params, grads)
        assert params[0] is w and params[1] is b
        assert [p.__array_interface__["data"][0]
                for p in params] == addresses
        assert np.shares_memory(w, base)
        assert not np.array_equal(base[1], before[0][1])
        np.testing.assert_array_equal(base[0], before[0][0])
        assert not np.array_equal(b, before[1])
        for g, g0 in zip(grads, kept):
            np.testing.assert_array_equal(g, g0)


@pytest.mark.parametrize("make", ALL, ids=ALL_IDS)
def test_float32_params_and_state_stay_float32(make):
    p = np.ones(3, dtype=np.float32)
    optimizer = make()
    optimizer.step([p], [np.full(3, 0.5)])
    optimizer.step([p], [np.full(3, 0.5, dtype=np.float32)])
    assert p.dtype == np.float32
    assert np.all(p < 1.0)


@pytest.mark.parametrize("make", ALL, ids=ALL_IDS)
def test_another_list_needs_a_reset(make):
    optimizer = make()
    optimizer.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match=r"^params holds 2 arrays"):
        optimizer.step([np.zeros(2), np.zeros(2)], [np.ones(2)] * 2)
    with pytest.raises(ValueError, match=r"^params\[0\] has shape \(3,\)"):
        optimizer.step([np.zeros(3)], [np.ones(3)])
    optimizer.reset()
    optimizer.step([np.zeros(3)], [np.ones(3)])


def test_reset_starts_again_from_step_one():
    p, q = np.array([1.0]), np.array([1.0])
    optimizer = Adam(lr=0.1)
    optimizer.step([p], [np.array([3.0])])
    optimizer.reset()
    optimizer.step([p], [np.array([-2.0])])
    Adam(lr=0.1).step([q], [np.array([3.0])])
    Adam(lr=0.1).step([q], [np.array([-2.0])])
    np.testing.assert_array_equal(p, q)


def test_plain_sgd_keeps_no_state():
    # plain gradient descent may be handed any list at any step
    optimizer = SGD(0.5)
    optimizer.step([np.zeros(2)], [np.ones(2)])
    p = np.zeros(3)
    optimizer.step([p, np.zeros(1)], [np.ones(3), np.ones(1)])
    np.testing.assert_array_equal(p, [-0.5] * 3)


def test_a_failed_check_changes_no_parameter_or_state():
    first = np.ones(2)
    optimizer = Adam(lr=0.1)
    optimizer.step([first, np.ones(3)], [np.ones(2), np.ones(3)])
    after_one = first.copy()
    with pytest.raises(ValueError):
        optimizer.step([first, np.ones(4)], [np.ones(2), np.ones(4)])
    np.testing.assert_array_equal(first, after_one)
