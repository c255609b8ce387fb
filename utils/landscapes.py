"""Loss landscapes in two parameters, and optimizers racing across them.

Each ``Landscape`` holds a function ``f(x, y)`` of two parameters, its
gradient and Hessian written out by hand, its minima (and saddle points
where it has them), a LaTeX formula and a plotting range. ``f`` and
``grad`` work on numbers and on numpy arrays alike, so the same code
draws a surface on a grid and evaluates one point of a path.

The landscapes, by key:

- ``"penguin"``: the course's own model, the mean squared error of the
  line ``w * x + b`` over (w, b) on the 342 penguins, x centred;
- ``"penguin-raw"``: the same with x the flipper length in cm, uncentred;
- ``"valley"`` and ``"tilted-valley"``: a quadratic with condition
  number 25, along the axes and turned by 45 degrees;
- ``"rosenbrock"``: a curved, flat-bottomed valley;
- ``"himmelblau"``: four minima of equal depth;
- ``"saddle"``: a saddle point between two minima;
- ``"rugged"``: a bowl covered in ripples, 25 local minima in view.

``race`` runs several optimizers of ``utils.optimizers`` from the same
start with ``utils.training.descend``; ``outcome`` says in a few words
how a run ended, including when it left the plotted range.
"""

import math
import numbers
from typing import Callable, NamedTuple

import numpy as np

from . import _validate, optimizers
from .data import flipper_and_mass, load_penguins
from .quadratic import linear_cost
from .training import Run, descend


class Landscape(NamedTuple):
    """A function of two parameters with what is known about it.

    ``f(x, y)`` and ``grad(x, y)`` (a pair ``(df/dx, df/dy)``) accept
    numbers or arrays of one shape; ``hessian(x, y)`` returns the 2x2
    matrix at one point. ``minima`` lists the global minimisers, where
    ``f`` equals ``f_min``; ``local_minima`` the other minimisers in view
    and ``saddles`` the saddle points. ``xlim`` and ``ylim`` frame the
    plot, ``start`` is a default starting point inside it and ``lr`` a
    learning rate at which plain gradient descent makes progress there.
    ``log_z`` asks the figures to draw ``log10(1 + f - f_min)``, for
    landscapes whose walls would otherwise flatten the floor.
    """

    key: str
    name: str
    formula: str
    f: Callable
    grad: Callable
    hessian: Callable
    minima: tuple
    f_min: float
    xlim: tuple
    ylim: tuple
    start: tuple
    lr: float
    names: tuple = ("x", "y")
    local_minima: tuple = ()
    saddles: tuple = ()
    log_z: bool = False

    def value(self, theta):
        """``f`` at one point ``theta = (x, y)``, as a float."""
        return float(self.f(theta[0], theta[1]))

    def gradient(self, theta):
        """The gradient at one point ``theta``, as an array of two."""
        gx, gy = self.grad(theta[0], theta[1])
        return np.array([gx, gy], dtype=np.float64)

    def height(self, z):
        """What the figures draw for the values ``z`` of ``f``."""
        if self.log_z:
            return np.log10(1.0 + (z - self.f_min))
        return z

    def inside(self, points):
        """True for each point (rows of ``points``) within the view."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        (x0, x1), (y0, y1) = self.xlim, self.ylim
        with np.errstate(invalid="ignore"):
            return ((points[:, 0] >= x0) & (points[:, 0] <= x1)
                    & (points[:, 1] >= y0) & (points[:, 1] <= y1))


# --- quadratics: the penguin model and the narrow valleys ---------------

def _quadratic_parts(A, centre, f_star):
    """``f``, ``grad`` and ``hessian`` of ``f* + 1/2 e^T A e``.

    Written out for a 2x2 ``A`` so that it costs a few multiplications
    for one point and works elementwise on grids.
    """
    (a, b), (_, c) = np.asarray(A, dtype=np.float64)
    cx, cy = (float(v) for v in centre)
    a, b, c, f_star = float(a), float(b), float(c), float(f_star)
    hessian_matrix = np.array([[a, b], [b, c]])

    def f(x, y):
        ex, ey = x - cx, y - cy
        return f_star + 0.5 * (a * ex * ex + 2.0 * b * ex * ey
                               + c * ey * ey)

    def grad(x, y):
        ex, ey = x - cx, y - cy
        return a * ex + b * ey, b * ex + c * ey

    def hessian(x, y):
        return hessian_matrix.copy()

    return f, grad, hessian


def _penguin(raw):
    x, y = flipper_and_mass()
    if raw:
        x = load_penguins().flipper_length_mm / 10.0
    cost = linear_cost(x, y)
    f, grad, hessian = _quadratic_parts(cost.A, cost.theta_star,
                                        cost.f_star)
    w_star, b_star = (float(v) for v in cost.theta_star)
    formula = r"J(w, b) = \frac{1}{n}\sum_{i=1}^{n} (w x_i + b - y_i)^2"
    names = ("w (kg/cm)", "b (kg)")
    if raw:
        return Landscape(
            "penguin-raw", "Penguin model, x uncentred (cm)", formula,
            f, grad, hessian, ((w_star, b_star),), cost.f_star,
            xlim=(-0.2, 1.2), ylim=(-12.0, 6.0), start=(0.0, 0.0),
            lr=0.002, names=names, log_z=True)
    half = 5.0
    return Landscape(
        "penguin", "Penguin model, x centred", formula, f, grad, hessian,
        ((w_star, b_star),), cost.f_star,
        xlim=(w_star - half, w_star + half),
        ylim=(b_star - half, b_star + half), start=(-4.0, 0.0), lr=0.1,
        names=names)


# The narrow valley: curvatures 1 and 25, so kappa = 25 and 2/L = 0.08.
VALLEY_CURVATURES = (1.0, 25.0)


def _valley(tilted):
    mu, L = VALLEY_CURVATURES
    if tilted:
        # Eigenvectors (1, 1)/sqrt(2) for mu and (1, -1)/sqrt(2) for L.
        A = 0.5 * np.array([[mu + L, mu - L], [mu - L, mu + L]])
        formula = (r"f = \frac{1}{4}(x + y)^2 + \frac{25}{4}(x - y)^2")
        key, name = "tilted-valley", "Narrow valley, tilted"
        ylim, start = (-10.0, 10.0), (-7.0, -5.0)
    else:
        A = np.diag([mu, L])
        formula = r"f = \frac{1}{2}(x^2 + 25 y^2)"
        key, name = "valley", "Narrow valley"
        ylim, start = (-2.5, 2.5), (-9.0, 1.5)
    f, grad, hessian = _quadratic_parts(A, (0.0, 0.0), 0.0)
    return Landscape(key, name, formula, f, grad, hessian, ((0.0, 0.0),),
                     0.0, xlim=(-10.0, 10.0), ylim=ylim, start=start,
                     lr=0.01)


# --- classic test functions -------------------------------------------

def _rosenbrock_f(x, y):
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def _rosenbrock_grad(x, y):
    inner = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * inner, 200.0 * inner


def _rosenbrock_hessian(x, y):
    return np.array([[2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x],
                     [-400.0 * x, 200.0]])


ROSENBROCK = Landscape(
    "rosenbrock", "Rosenbrock", r"f = (1 - x)^2 + 100\,(y - x^2)^2",
    _rosenbrock_f, _rosenbrock_grad, _rosenbrock_hessian, ((1.0, 1.0),),
    0.0, xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), start=(-1.2, 1.0), lr=1e-3,
    log_z=True)


def _himmelblau_f(x, y):
    return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2


def _himmelblau_grad(x, y):
    u, v = x * x + y - 11.0, x + y * y - 7.0
    return 4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v


def _himmelblau_hessian(x, y):
    u, v = x * x + y - 11.0, x + y * y - 7.0
    cross = 4.0 * (x + y)
    return np.array([[4.0 * u + 8.0 * x * x + 2.0, cross],
                     [cross, 4.0 * v + 8.0 * y * y + 2.0]])


# Found by Newton's method to full precision; the tests check that the
# gradient vanishes there and that f is zero.
HIMMELBLAU_MINIMA = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.2831859912861696),
    (3.5844283403304917, -1.8481265269644036),
)
HIMMELBLAU_SADDLES = (
    (0.08667750455539634, 2.884254701174776),
    (-3.0730257507643897, -0.08135304428796751),
    (3.385154183607021, 0.07385187983774928),
    (-0.12796134673068005, -1.9537149802445766),
)

HIMMELBLAU = Landscape(
    "himmelblau", "Himmelblau", r"f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    _himmelblau_f, _himmelblau_grad, _himmelblau_hessian,
    HIMMELBLAU_MINIMA, 0.0, xlim=(-5.0, 5.0), ylim=(-5.0, 5.0),
    start=(-0.5, -0.5), lr=0.01, saddles=HIMMELBLAU_SADDLES, log_z=True)


def _saddle_f(x, y):
    return x * x + 0.25 * y ** 4 - 0.5 * y * y


def _saddle_grad(x, y):
    return 2.0 * x, y ** 3 - y


def _saddle_hessian(x, y):
    return np.array([[2.0, 0.0], [0.0, 3.0 * y * y - 1.0]])


SADDLE = Landscape(
    "saddle", "A saddle between two minima",
    r"f = x^2 + \frac{1}{4}y^4 - \frac{1}{2}y^2",
    _saddle_f, _saddle_grad, _saddle_hessian, ((0.0, 1.0), (0.0, -1.0)),
    -0.25, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), start=(1.8, 1e-3), lr=0.1,
    saddles=((0.0, 0.0),))


def _rugged_f(x, y):
    return (0.25 * (x * x + y * y) + 2.0
            - np.cos(np.pi * x) - np.cos(np.pi * y))


def _rugged_grad(x, y):
    return (0.5 * x + np.pi * np.sin(np.pi * x),
            0.5 * y + np.pi * np.sin(np.pi * y))


def _rugged_hessian(x, y):
    k = np.pi * np.pi
    return np.array([[0.5 + k * np.cos(np.pi * x), 0.0],
                     [0.0, 0.5 + k * np.cos(np.pi * y)]])


# f is g(x) + g(y) with g(t) = t^2/4 + 1 - cos(pi t), so its minima are
# the pairs of minima of g: t = 0 and these (found by Newton's method).
RUGGED_MINIMA_1D = (0.0, 1.9021022992005567, -1.9021022992005567,
                    3.7936606057941957, -3.7936606057941957)

RUGGED = Landscape(
    "rugged", "A bowl with ripples",
    r"f = \frac{1}{4}(x^2 + y^2) + 2 - \cos \pi x - \cos \pi y",
    _rugged_f, _rugged_grad, _rugged_hessian, ((0.0, 0.0),), 0.0,
    xlim=(-4.5, 4.5), ylim=(-4.5, 4.5), start=(3.3, 2.6), lr=0.02,
    local_minima=tuple((a, b) for a in RUGGED_MINIMA_1D
                       for b in RUGGED_MINIMA_1D if (a, b) != (0.0, 0.0)))


def _all_landscapes():
    found = [_penguin(raw=False), _penguin(raw=True), _valley(False),
             _valley(True), ROSENBROCK, HIMMELBLAU, SADDLE, RUGGED]
    return {land.key: land for land in found}


LANDSCAPES = _all_landscapes()


def get(landscape):
    """Return the ``Landscape`` for a key of ``LANDSCAPES`` (or itself)."""
    if isinstance(landscape, Landscape):
        return landscape
    if landscape not in LANDSCAPES:
        raise ValueError(
            f"landscape must be one of {', '.join(LANDSCAPES)}; "
            f"got {landscape!r}")
    return LANDSCAPES[landscape]


# --- optimizers on a landscape -----------------------------------------

# Each optimizer's name, how to build it from the shared settings, and
# which settings it reads (the others do not change its path).
OPTIMIZERS = {
    "GD": (lambda s: optimizers.SGD(lr=s["lr"]), ()),
    "Momentum": (lambda s: optimizers.SGD(lr=s["lr"],
                                          momentum=s["momentum"]),
                 ("momentum",)),
    "Nesterov": (lambda s: optimizers.SGD(lr=s["lr"],
                                          momentum=s["momentum"],
                                          nesterov=True),
                 ("momentum",)),
    "AdaGrad": (lambda s: optimizers.AdaGrad(lr=s["lr"]), ()),
    "RMSProp": (lambda s: optimizers.RMSProp(lr=s["lr"],
                                             alpha=s["alpha"]),
                ("alpha",)),
    "Adam": (lambda s: optimizers.Adam(lr=s["lr"], beta1=s["beta1"],
                                       beta2=s["beta2"]),
             ("beta1", "beta2")),
}


def settings_read_by(name):
    """The settings, beyond lr, that change optimizer ``name``'s path."""
    _optimizer_name(name)
    return OPTIMIZERS[name][1]


def make_optimizer(name, lr, momentum=0.9, beta1=0.9, beta2=0.999,
                   alpha=0.99):
    """Build optimizer ``name`` of ``OPTIMIZERS``.

    ``momentum`` is beta for Momentum and Nesterov (both are plain
    gradient descent at beta = 0), ``beta1`` and ``beta2`` are Adam's,
    ``alpha`` is RMSProp's decay rate. The defaults are PyTorch's.
    """
    settings = dict(lr=lr, momentum=momentum, beta1=beta1, beta2=beta2,
                    alpha=alpha)
    if name in ("Momentum", "Nesterov") and momentum == 0.0:
        # With beta = 0 both are plain gradient descent (and SGD refuses
        # Nesterov without a momentum).
        name = "GD"
    return OPTIMIZERS[_optimizer_name(name)][0](settings)


def run_one(landscape, name, start, steps, lr, momentum=0.9, beta1=0.9,
            beta2=0.999, alpha=0.99, noise=0.0, seed=0):
    """Run optimizer ``name`` on ``landscape`` from ``start``.

    ``noise`` adds a Gaussian of that standard deviation to each
    component of every gradient, drawn from ``default_rng(seed)``: the
    same draws for every optimizer, so a race stays fair. A run stops
    where the loss stops being finite (``Run.diverged_at``). The first
    ``k`` steps of a run do not depend on ``steps``.
    """
    land = get(landscape)
    steps = _validate.count(steps, "steps", minimum=0)
    noise = _non_negative(noise, "noise")
    start = _validate.float_array(start, "start", ndim=1)
    if start.shape != (2,):
        raise ValueError(f"start must hold two numbers; got {start.size}")
    optimizer = make_optimizer(name, lr, momentum, beta1, beta2, alpha)
    grad = land.gradient
    if noise:
        rng = np.random.default_rng(seed)

        def grad(theta):
            return land.gradient(theta) + noise * rng.standard_normal(2)

    return descend(land.value, grad, start, steps, optimizer)


def race(landscape, optimizers, start=None, steps=100, lr=None,
         momentum=0.9, beta1=0.9, beta2=0.999, alpha=0.99, noise=0.0,
         seed=0):
    """Run each optimizer named in ``optimizers`` from the same start.

    ``start`` and ``lr`` default to the landscape's own. Returns a dict
    from name to ``training.Run``, in the order of ``optimizers``.
    """
    land = get(landscape)
    start = land.start if start is None else start
    lr = land.lr if lr is None else lr
    return {name: run_one(land, name, start, steps, lr, momentum, beta1,
                          beta2, alpha, noise, seed)
            for name in optimizers}


def truncate(run, steps):
    """The first ``steps`` steps of ``run``, as a ``Run`` of its own."""
    steps = _validate.count(steps, "steps", minimum=0)
    if steps >= run.steps:
        return run
    diverged = run.diverged_at
    return Run(run.theta[:steps + 1], run.loss[:steps + 1],
               diverged if diverged is not None and diverged <= steps
               else None)


def left_view_at(landscape, run):
    """The step from which the path stays outside the view, or None.

    None when the run ends inside the view, even if it left and came
    back on the way; 0 when no point of the run was ever inside. A point
    that is no longer finite counts as outside.
    """
    land = get(landscape)
    inside = land.inside(run.theta)
    if inside[-1]:
        return None
    return int(np.flatnonzero(inside)[-1]) + 1 if inside.any() else 0


def outcome(landscape, run):
    """A few words on how ``run`` ended, for the figure's legend.

    "diverged at step N" when the loss stopped being finite, "left the
    view at step N" when the path went past the plotted range for good
    (or "outside the view from the start"). Otherwise where the path ended: "at
    the minimum", "stuck in a local minimum" or "stalled at the saddle"
    when it ended within ``ARRIVED`` view widths of one, else the final
    value of f.
    """
    land = get(landscape)
    parts = []
    left = left_view_at(land, run)
    if left == 0:
        parts.append("outside the view from the start")
    elif left is not None:
        parts.append(f"left the view at step {left}")
    if run.diverged_at is not None:
        parts.append(f"diverged at step {run.diverged_at}")
    if parts:
        return ", ".join(parts)
    end = run.theta[-1]
    # round first, so that -0.001 prints as 0.00, not -0.00
    where = "({:.2f}, {:.2f})".format(*(round(float(v), 2) + 0.0
                                        for v in end))
    kind = _point_kind(land, end)
    if kind is not None:
        return f"{kind} {where}"
    return f"f = {run.loss[-1]:.3g} at {where}"


# A run has reached a point of interest when it ends this close to it,
# as a fraction of the view's width.
ARRIVED = 1e-3


def _point_kind(land, end):
    """"at the minimum", "in a local minimum" or "at the saddle" when
    ``end`` is that close to one, else None."""
    tolerance = ARRIVED * (land.xlim[1] - land.xlim[0])
    kinds = (("at the minimum", land.minima),
             ("stuck in a local minimum", land.local_minima),
             ("stalled at the saddle", land.saddles))
    for kind, points in kinds:
        if points and np.min(np.linalg.norm(
                np.array(points) - end, axis=1)) < tolerance:
            return kind
    return None


def nearest_minimum(landscape, point):
    """The minimiser (global or local) closest to ``point``."""
    land = get(landscape)
    candidates = np.array(land.minima + land.local_minima)
    distance = np.linalg.norm(candidates - np.asarray(point), axis=1)
    return tuple(float(v) for v in candidates[np.argmin(distance)])


def _optimizer_name(name):
    if name not in OPTIMIZERS:
        raise ValueError(
            f"optimizer must be one of {', '.join(OPTIMIZERS)}; "
            f"got {name!r}")
    return name


def _non_negative(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{name} must be zero or a positive number; "
                         f"got {value!r}")
    return value


