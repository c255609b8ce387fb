"""Helpers for the tests of the exercise checks (utils.exercises)."""


def stub(*args):
    """A learner's function that is still the chapter's stub."""
    raise NotImplementedError


def passes(feedback):
    """The check accepted the answer."""
    assert feedback.passed, feedback.message
    assert repr(feedback).startswith("Correct. ")


def hints(feedback, *words):
    """The check refused the answer with a hint holding every word."""
    assert not feedback.passed
    text = repr(feedback)
    assert text.startswith("Not yet: ")
    for word in words:
        assert word in text, text
