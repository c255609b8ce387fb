"""Shared, tested code for the course's notebooks.

Each chapter derives and writes its update equations inline first; the
same logic lives here so that later chapters, the appendix and the tests
can reuse it. Modules:

- ``utils.data``: loading the datasets shipped in ``data/``;
- ``utils.linear``: the one-weight, one-bias model and its cost;
- ``utils.gradcheck``: finite-difference gradients;
- ``utils.optimizers``: update rules with a ``step(params, grads)`` method;
- ``utils.training``: training loops that stop cleanly on divergence;
- ``utils.plotting``: the functions behind the figures;
- ``utils.exercises``: the checks that answer a learner's exercise.
"""
