"""Checks for the exercises: each answers with a specific hint.

A check never raises on what a learner passes (``None``, a wrong shape,
NaN, a function that raises or is still a stub); it returns a
``Feedback`` whose text says what is right or what to look at next.
One module per chapter: ``utils.exercises.ch01`` and so on.
"""
