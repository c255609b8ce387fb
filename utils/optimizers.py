"""Optimizers with one interface: ``opt.step(params, grads)``.

``params`` is a list of float numpy arrays, updated in place; ``grads``
is a list of arrays of the same shapes, the gradient of the loss with
respect to each parameter. Pass the same list, in the same order, at
every step: any state an optimizer keeps is stored per position, and a
list of another length or an array of another shape at a position that
already has state raises ``ValueError``. ``opt.reset()`` forgets all
state, as if no step had been taken. The hyperparameters are checked
when the optimizer is made and kept as attributes of the same names; a
learning-rate schedule may set ``opt.lr`` between steps.

The update rules follow the definitions in PyTorch's ``torch.optim``
documentation, so that what the course teaches carries over: for the
same hyperparameters, ``SGD``, ``AdaGrad``, ``RMSProp``, ``Adam`` and
``AdamW`` produce the iterates of ``torch.optim``'s ``SGD``,
``Adagrad``, ``RMSprop``, ``Adam`` and ``AdamW`` up to rounding (the
tests compare them in float64 to 1e-12).

Symbols and keywords
--------------------
The equations of the course and the keyword arguments use these names.
(PyTorch's documentation writes the learning rate as gamma and the
momentum coefficient as mu; this course writes them eta and beta, since
Chapter 2 uses mu for the smallest curvature.)

    =======  =============================  ===========================
    symbol   keyword                        meaning
    =======  =============================  ===========================
    theta    (an array in ``params``)       a parameter
    g_t      (an array in ``grads``)        its gradient at step t
    t        (counted by the optimizer)     steps taken, from 1
    eta      ``lr``                         learning rate
    beta     ``momentum``                   momentum coefficient
    tau      ``dampening``                  damping of new gradients
    lambda   ``weight_decay``               weight decay
    beta1    ``beta1``                      decay rate of the mean m
    beta2    ``beta2``                      decay rate of the mean v
    alpha    ``alpha``                      decay rate of RMSProp's v
    epsilon  ``eps``                        added to a root, then divide
    delta    ``lr_decay``                   AdaGrad's decay of eta
    s_0      ``initial_accumulator_value``  AdaGrad's starting sum s
    =======  =============================  ===========================

Updates are written with a left arrow: ``x <- ...`` replaces x. Every
operation is element by element, so ``g^2`` squares each entry.

Conventions worth knowing
-------------------------
- *Momentum.* ``beta`` is a coefficient; the state it scales is a buffer
  u (SGD, RMSProp), which is not itself "the momentum". SGD here keeps
  ``u <- beta*u + g`` and steps ``theta <- theta - eta*u``. Other texts keep
  a velocity ``v <- beta*v - eta*g`` and step ``theta <- theta + v``. The two
  give the same iterates (with no dampening), ``v = -eta*u``, only
  while eta is constant: change eta mid-run and they part ways.
- *Epsilon.* Every rule here that has one adds eps *outside* the
  square root, ``g / (sqrt(v) + eps)``, as PyTorch does. Some texts and
  libraries put it inside, ``g / sqrt(v + eps)``; that is a different
  rule, and with the same eps it damps small v far more (sqrt(1e-8) is
  1e-4).
- *Bias correction.* Adam corrects *both* moments. Starting from zero,
  ``m_t = (1 - beta1) * sum_{k=1}^{t} beta1^(t-k) g_k``, whose weights
  add up to ``1 - beta1^t``, not 1, so early m is biased towards zero;
  dividing by that sum gives a weighted mean of the gradients seen so
  far. The same holds for v with beta2 and g^2, and correcting only m
  would make the first steps too large.
- *Weight decay.* ``SGD``, ``AdaGrad``, ``RMSProp`` and ``Adam`` add
  ``lambda * theta`` to the gradient (coupled, an L2 penalty), so Adam
  then rescales the decay like any gradient. ``AdamW`` instead shrinks
  ``theta <- theta * (1 - eta*lambda)`` before the Adam step (decoupled),
  so every parameter shrinks by the same factor.

Differences from PyTorch
------------------------
- ``SGD`` has no default ``lr`` (PyTorch's is 1e-3): plain gradient
  descent has no safe learning rate, and choosing it is the point of the
  first chapters. Every other default is PyTorch's.
- Adam's betas are two keywords, ``beta1`` and ``beta2``, not a pair.
- The checks are stricter: ``lr`` and ``eps`` must be positive (PyTorch
  accepts zero), and ``momentum``, ``dampening``, ``alpha``, ``beta1`` and
  ``beta2`` must lie in [0, 1) (PyTorch accepts some values of 1 or more,
  and any dampening). Values outside these ranges give an update that
  never moves, divides by zero or never settles: more likely a slip
  than an intent.
- There is no ``maximize`` option: negate the gradient instead.
- Gradients are not checked for NaN or infinity at each step, which
  would cost a full pass over the data; ``utils.training`` detects a
  diverging loss instead.

Speed
-----
Each step works in place: state and one scratch array per parameter
are allocated at the first step and reused, and the rules are written
as numpy ufuncs with ``out=``. The comment above each block gives the
equation it computes.
"""

import math
import numbers

import numpy as np

from . import _validate


class Optimizer:
    """Base class: validates a step, then updates each parameter.

    A subclass defines ``_new_state(p)``, returning the state of one
    parameter as a dict (its arrays shaped like ``p``; the scratch array
    ``"d"`` among them), and ``_update(p, g, state)``, which updates
    ``p`` in place and may overwrite the scratch arrays, never ``g``.
    One that keeps nothing between steps sets ``_stateless`` and gets
    ``state=None``.
    """

    weight_decay = 0.0
    _stateless = False

    def __init__(self):
        self._states = None

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``."""
        params, grads = _checked(params, grads)
        if self._stateless:
            for p, g in zip(params, grads):
                self._update(p, g, None)
            return
        states = self._states
        if states is None:
            states = [self._new_state(p) for p in params]
            self._states = states
        else:
            _check_state(params, states)
        for p, g, state in zip(params, grads, states):
            self._update(p, g, state)

    def reset(self):
        """Forget all state, as if no step had been taken."""
        self._states = None

    def _new_state(self, p):
        state = {"d": np.empty_like(p), "t": 0}
        if self.weight_decay:
            state["g"] = np.empty_like(p)
        return state

    def _update(self, p, g, state):
        raise NotImplementedError

    def _decayed(self, p, g, state):
        """Return ``g + lambda * theta``, computed into ``state["g"]``."""
        out = state["g"]
        np.multiply(p, self.weight_decay, out=out)
        out += g
        return out


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    With the defaults this is plain gradient descent,
    ``theta <- theta - eta * g``. Otherwise, at step t (the lines with
    u only when there is momentum):

        g <- g + lambda * theta             (if weight_decay)
        u <- g                              (first step)
        u <- beta * u + (1 - tau) * g       (later steps)
        g <- g + beta * u                   (if nesterov)
        g <- u                              (otherwise)
        theta <- theta - eta * g

    The buffer u starts at the first gradient, not at zero; this matters
    only when ``dampening`` is not zero. Nesterov's variant needs a
    momentum and no dampening. This is ``torch.optim.SGD``.
    """

    def __init__(self, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False):
        super().__init__()
        self.lr = _validate.learning_rate(lr, "lr")
        self.momentum = _fraction(momentum, "momentum")
        self.dampening = _fraction(dampening, "dampening")
        self.weight_decay = _non_negative(weight_decay, "weight_decay")
        self.nesterov = _flag(nesterov, "nesterov")
        if self.nesterov and (self.momentum == 0.0
                              or self.dampening != 0.0):
            raise ValueError(
                "nesterov=True needs a momentum above zero and zero "
                f"dampening; got momentum={self.momentum!r} and "
                f"dampening={self.dampening!r}"
            )
        # plain gradient descent keeps no state between steps
        self._stateless = (self.momentum == 0.0
                           and self.weight_decay == 0.0)

    def __repr__(self):
        if self._stateless:
            return f"SGD(lr={self.lr:g})"
        return (
            f"SGD(lr={self.lr:g}, momentum={self.momentum:g}, "
            f"dampening={self.dampening:g}, "
            f"weight_decay={self.weight_decay:g}, "
            f"nesterov={self.nesterov})"
        )

    def _new_state(self, p):
        state = super()._new_state(p)
        if self.momentum:
            state["u"] = np.empty_like(p)
        return state

    def _update(self, p, g, state):
        if self._stateless:
            # theta <- theta - eta * g, written exactly as in Chapter 1's
            # loop, so that the two give the same bits
            p -= self.lr * g
            return
        d = state["d"]
        beta = self.momentum
        state["t"] += 1
        if self.weight_decay:
            # g <- g + lambda * theta
            g = self._decayed(p, g, state)
        if beta:
            u = state["u"]
            if state["t"] == 1:
                # u <- g on the first step
                np.copyto(u, g)
            elif self.dampening:
                # u <- beta * u + (1 - tau) * g
                u *= beta
                np.multiply(g, 1.0 - self.dampening, out=d)
                u += d
            else:
                # u <- beta * u + g
                u *= beta
                u += g
            if self.nesterov:
                # g <- g + beta * u
                np.multiply(u, beta, out=d)
                d += g
                g = d
            else:
                g = u
        # theta <- theta - eta * g
        np.multiply(g, self.lr, out=d)
        p -= d


class AdaGrad(Optimizer):
    """AdaGrad: each coordinate's step shrinks with its gradient history.

    At step t, with s starting at ``initial_accumulator_value``:

        g <- g + lambda * theta                 (if weight_decay)
        eta_t = eta / (1 + (t - 1) * delta)     (delta is lr_decay)
        s <- s + g^2
        theta <- theta - eta_t * g / (sqrt(s) + eps)

    This is ``torch.optim.Adagrad``, with its defaults.
    """

    def __init__(self, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10):
        super().__init__()
        self.lr = _validate.learning_rate(lr, "lr")
        self.lr_decay = _non_negative(lr_decay, "lr_decay")
        self.weight_decay = _non_negative(weight_decay, "weight_decay")
        self.initial_accumulator_value = _non_negative(
            initial_accumulator_value, "initial_accumulator_value")
        self.eps = _validate.positive_number(eps, "eps")

    def __repr__(self):
        return (
            f"AdaGrad(lr={self.lr:g}, lr_decay={self.lr_decay:g}, "
            f"weight_decay={self.weight_decay:g}, "
            "initial_accumulator_value="
            f"{self.initial_accumulator_value:g}, eps={self.eps:g})"
        )

    def _new_state(self, p):
        state = super()._new_state(p)
        state["s"] = np.full_like(p, self.initial_accumulator_value)
        return state

    def _update(self, p, g, state):
        d, s = state["d"], state["s"]
        state["t"] += 1
        if self.weight_decay:
            # g <- g + lambda * theta
            g = self._decayed(p, g, state)
        # eta_t = eta / (1 + (t - 1) * delta)
        eta_t = self.lr / (1.0 + (state["t"] - 1) * self.lr_decay)
        # s <- s + g^2
        np.multiply(g, g, out=d)
        s += d
        # theta <- theta - eta_t * g / (sqrt(s) + eps)
        np.sqrt(s, out=d)
        d += self.eps
        np.divide(g, d, out=d)
        d *= eta_t
        p -= d


class RMSProp(Optimizer):
    """RMSProp: divide by a running root mean square of the gradient.

    At step t, with v, the mean gradient gbar and u starting at zero:

        g <- g + lambda * theta                 (if weight_decay)
        v <- alpha * v + (1 - alpha) * g^2
        r = v
        gbar <- alpha * gbar + (1 - alpha) * g  (if centered)
        r = v - gbar^2                          (if centered)
        u <- beta * u + g / (sqrt(r) + eps)     (if momentum)
        theta <- theta - eta * u                (if momentum)
        theta <- theta - eta * g / (sqrt(r) + eps)   (otherwise)

    Unlike SGD's, this momentum buffer starts at zero. ``centered``
    divides by an estimate of the gradient's standard deviation instead
    of its root mean square; where the gradient hardly varies from step
    to step, r is close to zero (or rounds below it, giving NaN) and the
    steps become very large, as they do in PyTorch. This is
    ``torch.optim.RMSprop``, with its defaults.
    """

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0,
                 momentum=0.0, centered=False):
        super().__init__()
        self.lr = _validate.learning_rate(lr, "lr")
        self.alpha = _fraction(alpha, "alpha")
        self.eps = _validate.positive_number(eps, "eps")
        self.weight_decay = _non_negative(weight_decay, "weight_decay")
        self.momentum = _fraction(momentum, "momentum")
        self.centered = _flag(centered, "centered")

    def __repr__(self):
        return (
            f"RMSProp(lr={self.lr:g}, alpha={self.alpha:g}, "
            f"eps={self.eps:g}, weight_decay={self.weight_decay:g}, "
            f"momentum={self.momentum:g}, centered={self.centered})"
        )

    def _new_state(self, p):
        state = super()._new_state(p)
        state["v"] = np.zeros_like(p)
        if self.centered:
            state["gbar"] = np.zeros_like(p)
        if self.momentum:
            state["u"] = np.zeros_like(p)
        return state

    def _update(self, p, g, state):
        d, v = state["d"], state["v"]
        alpha = self.alpha
        state["t"] += 1
        if self.weight_decay:
            # g <- g + lambda * theta
            g = self._decayed(p, g, state)
        # v <- alpha * v + (1 - alpha) * g^2
        v *= alpha
        np.multiply(g, g, out=d)
        d *= 1.0 - alpha
        v += d
        if self.centered:
            # gbar <- alpha * gbar + (1 - alpha) * g
            gbar = state["gbar"]
            gbar *= alpha
            np.multiply(g, 1.0 - alpha, out=d)
            gbar += d
            # d = sqrt(r) with r = v - gbar^2
            np.multiply(gbar, gbar, out=d)
            np.subtract(v, d, out=d)
            np.sqrt(d, out=d)
        else:
            # d = sqrt(r) with r = v
            np.sqrt(v, out=d)
        # d = g / (sqrt(r) + eps)
        d += self.eps
        np.divide(g, d, out=d)
        if self.momentum:
            # u <- beta * u + g / (sqrt(r) + eps), then theta <- theta - eta*u
            u = state["u"]
            u *= self.momentum
            u += d
            np.multiply(u, self.lr, out=d)
        else:
            # theta <- theta - eta * g / (sqrt(r) + eps)
            d *= self.lr
        p -= d


class Adam(Optimizer):
    """Adam: momentum on g, divided by a running root mean square of g.

    At step t, with m and v starting at zero:

        g <- g + lambda * theta                 (if weight_decay)
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)
        v_hat = v / (1 - beta2^t)
        theta <- theta - eta * m_hat / (sqrt(v_hat) + eps)

    With ``amsgrad=True``, v_hat uses the largest v seen so far,
    ``vmax <- max(vmax, v)``, in place of v. The weight decay here is
    coupled (an L2 penalty added to g); see ``AdamW`` for the decoupled
    kind. This is ``torch.optim.Adam``, with its defaults.
    """

    _decoupled = False

    # Both bias corrections are part of Adam; Chapter 6's ablation
    # (utils.adam_analysis.AblatedAdam) switches them off one at a time.
    correct_m = True
    correct_v = True

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=0.0, amsgrad=False):
        super().__init__()
        self.lr = _validate.learning_rate(lr, "lr")
        self.beta1 = _fraction(beta1, "beta1")
        self.beta2 = _fraction(beta2, "beta2")
        self.eps = _validate.positive_number(eps, "eps")
        self.weight_decay = _non_negative(weight_decay, "weight_decay")
        self.amsgrad = _flag(amsgrad, "amsgrad")

    def __repr__(self):
        return (
            f"{type(self).__name__}(lr={self.lr:g}, beta1={self.beta1:g}, "
            f"beta2={self.beta2:g}, eps={self.eps:g}, "
            f"weight_decay={self.weight_decay:g}, amsgrad={self.amsgrad})"
        )

    def _new_state(self, p):
        state = super()._new_state(p)
        if self._decoupled:
            state.pop("g", None)
        state["m"] = np.zeros_like(p)
        state["v"] = np.zeros_like(p)
        if self.amsgrad:
            state["vmax"] = np.zeros_like(p)
        return state

    def _update(self, p, g, state):
        d, m, v = state["d"], state["m"], state["v"]
        beta1, beta2 = self.beta1, self.beta2
        state["t"] += 1
        t = state["t"]
        if self.weight_decay and self._decoupled:
            # theta <- theta * (1 - eta * lambda)
            p *= 1.0 - self.lr * self.weight_decay
        elif self.weight_decay:
            # g <- g + lambda * theta
            g = self._decayed(p, g, state)
        # m <- beta1 * m + (1 - beta1) * g
        m *= beta1
        np.multiply(g, 1.0 - beta1, out=d)
        m += d
        # v <- beta2 * v + (1 - beta2) * g^2
        v *= beta2
        np.multiply(g, g, out=d)
        d *= 1.0 - beta2
        v += d
        if self.amsgrad:
            # vmax <- max(vmax, v), which stands for v from here on
            v = state["vmax"]
            np.maximum(v, state["v"], out=v)
        # theta <- theta - eta * m_hat / (sqrt(v_hat) + eps), with
        # m_hat = m / (1 - beta1^t) and v_hat = v / (1 - beta2^t);
        # d = sqrt(v_hat) + eps, then eta * m_hat / d
        np.sqrt(v, out=d)
        if self.correct_v:
            d /= math.sqrt(1.0 - beta2 ** t)
        d += self.eps
        np.divide(m, d, out=d)
        if self.correct_m:
            d *= self.lr / (1.0 - beta1 ** t)
        else:
            d *= self.lr
        p -= d


class AdamW(Adam):
    """Adam with decoupled weight decay.

    At step t, the parameter first shrinks,

        theta <- theta * (1 - eta * lambda)

    and then takes the Adam step (see ``Adam``) with the gradient as it
    is: the decay never enters m or v, so 1 / sqrt(v_hat) does not
    rescale it. This is ``torch.optim.AdamW``, with its defaults,
    including ``weight_decay=1e-2``.
    """

    _decoupled = True

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 weight_decay=1e-2, amsgrad=False):
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                         weight_decay=weight_decay, amsgrad=amsgrad)


def _check_state(params, states):
    """Raise unless ``params`` matches the state kept from earlier steps."""
    if len(states) != len(params):
        raise ValueError(
            f"params holds {len(params)} arrays, but this optimizer "
            f"has state for {len(states)}: pass the same list at every "
            "step, or call reset() first"
        )
    for i, (p, state) in enumerate(zip(params, states)):
        if state["d"].shape != p.shape:
            raise ValueError(
                f"params[{i}] has shape {p.shape}, but this optimizer "
                f"holds state of shape {state['d'].shape} for that "
                "position: pass the same list at every step, or call "
                "reset() first"
            )


def _fraction(value, name):
    """Return ``value`` as a float if it lies in [0, 1)."""
    return _validate.fraction(value, name)


def _non_negative(value, name):
    """Return ``value`` as a float if it is finite and not below zero."""
    value = _real(value, name)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(
            f"{name} must be a finite number, zero or above; got {value!r}"
        )
    return value


def _real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a number; got {value!r} "
            f"of type {type(value).__name__}"
        )
    return float(value)


def _flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(
            f"{name} must be True or False; got {value!r} "
            f"of type {type(value).__name__}"
        )
    return bool(value)


def _checked(params, grads):
    if not isinstance(params, (list, tuple)):
        raise ValueError(
            "params must be a list of numpy arrays; got "
            f"{type(params).__name__}"
        )
    if not isinstance(grads, (list, tuple)):
        raise ValueError(
            "grads must be a list of numpy arrays; got "
            f"{type(grads).__name__}"
        )
    if len(params) != len(grads):
        raise ValueError(
            f"params and grads must have the same length; got "
            f"{len(params)} and {len(grads)}"
        )
    checked = []
    for i, (p, g) in enumerate(zip(params, grads)):
        if not (isinstance(p, np.ndarray) and p.dtype.kind == "f"):
            raise ValueError(
                f"params[{i}] must be a numpy array of floats, which can "
                f"be updated in place; got {_kind(p)}"
            )
        g = np.asarray(g)
        if g.dtype.kind not in "iuf":
            raise ValueError(
                f"grads[{i}] must hold numbers, real ones; got {_kind(g)}"
            )
        if g.shape != p.shape:
            _validate.same_shape(g, p, f"grads[{i}]", f"params[{i}]")
        checked.append(g)
    return params, checked


def _kind(value):
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return f"a value of type {type(value).__name__}"
