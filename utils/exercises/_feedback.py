"""Shared machinery for the exercise checks."""

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from ..data import PENGUIN_ROWS


class Feedback(NamedTuple):
    """The answer of a check: ``passed`` and a message for the learner."""

    passed: bool
    message: str

    def __repr__(self):
        return self.message

    def __bool__(self):
        return self.passed


def plural(count, one, many=None):
    """``"1 index"``, ``"3 indices"``: a count with its noun."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def correct(message):
    return Feedback(True, f"Correct. {message}")


def hint(message):
    return Feedback(False, f"Not yet: {message}")


class LearnerError(Exception):
    """Raised inside a check when the learner's answer cannot be used.

    It carries the hint; ``checked`` turns it into a ``Feedback``.
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def checked(check):
    """Turn a check's ``LearnerError`` into a ``Feedback``, never raise."""

    def wrapper(*args, **kwargs):
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                return check(*args, **kwargs)
        except LearnerError as error:
            return hint(error.message)
        except Exception as error:  # a last guard: a check never raises
            return hint(
                f"the check could not use your answer "
                f"({type(error).__name__}: {error}). Look at what your "
                f"code returns, and check that it leaves its inputs as "
                f"they were."
            )

    wrapper.__name__ = check.__name__
    wrapper.__doc__ = check.__doc__
    return wrapper


def call(fn, name, *args):
    """Call the learner's ``fn``; report a stub, an error or a warning."""
    if not callable(fn):
        raise LearnerError(
            f"pass your function {name} itself, not its result; "
            f"got {_short(fn)}"
        )
    # The learner's function gets copies, so it cannot change the data
    # the check compares against.
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args)
    except NotImplementedError:
        raise LearnerError(
            f"{name} still raises NotImplementedError; replace that line "
            f"with your code."
        ) from None
    except Exception as error:  # the learner's code may raise anything
        raise LearnerError(
            f"calling {name} raised {type(error).__name__}: {error}"
        ) from None


def changes_its_inputs(fn, *args):
    """True if ``fn(*args)`` writes into a numpy array it is given.

    ``call`` hands the learner copies, so that a function that changes
    its inputs cannot change the check's data; this probe passes fresh
    copies of its own and compares them afterwards. Should ``fn`` raise
    here, ``checked`` turns that into a hint.
    """
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    before = [a.copy() for a in args if isinstance(a, np.ndarray)]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        fn(*args)
    after = [a for a in args if isinstance(a, np.ndarray)]
    return not all(np.array_equal(a, b, equal_nan=True)
                   for a, b in zip(after, before))


def number(value, what, samples=PENGUIN_ROWS):
    """Return ``value`` as a finite float or explain why it is not one.

    An array of one value per sample (shape ``(samples,)``, by default
    the course's 342 penguins) gets the hint to average over the
    samples; other arrays do not, since the slip behind them differs.
    """
    if value is None:
        raise LearnerError(f"{what} is None; it should be a number.")
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shape = getattr(value, "shape", None)
        extra = f" of shape {shape}" if shape is not None else ""
        per_sample = samples is not None and shape == (samples,)
        raise LearnerError(
            f"{what} should be a single number; got "
            f"{type(value).__name__}{extra}"
            + (": did you forget to average over the samples (np.mean)?"
               if per_sample else "")
        )
    try:
        value = float(value)
    except OverflowError:  # an int beyond the float range, such as 10**400
        raise LearnerError(
            f"{what} is too large for a float, not a finite number"
        ) from None
    if not np.isfinite(value):
        raise LearnerError(f"{what} is {value}, not a finite number")
    return value


def pair(value, what, names, samples=PENGUIN_ROWS):
    """Return ``value`` as two finite floats, named ``names`` in hints.

    ``samples`` is passed on to ``number``.
    """
    if value is None:
        raise LearnerError(
            f"{what} returned None; did you forget a return statement?"
        )
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = tuple(value)
    if not isinstance(value, (tuple, list)):
        raise LearnerError(
            f"{what} should return two values, ({names[0]}, {names[1]}); "
            f"got {_short(value)}"
        )
    if len(value) != 2:
        raise LearnerError(
            f"{what} should return two values, ({names[0]}, {names[1]}); "
            f"got {len(value)}"
        )
    return tuple(number(v, f"{names[i]} from {what}", samples)
                 for i, v in enumerate(value))


def close(a, b, rtol=1e-6, atol=1e-9):
    return bool(np.isclose(a, b, rtol=rtol, atol=atol))


def _short(value):
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({type(value).__name__})"
