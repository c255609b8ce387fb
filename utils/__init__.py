"""Shared, tested code for the course's notebooks.

Each chapter derives and writes its update equations inline first; the
same logic lives here so that later chapters, the appendix and the tests
can reuse it. Modules, in the order the course meets them:

- ``utils.data``: loading the datasets shipped in ``data/``;
- ``utils.linear``: the one-weight, one-bias model and its cost;
- ``utils.gradcheck``: finite-difference gradients;
- ``utils.optimizers``: update rules with a ``step(params, grads)`` method;
- ``utils.training``: training loops that stop cleanly on divergence;
- ``utils.quadratic``: gradient descent on a quadratic, its stability
  bound and learning-rate sweeps (Chapter 2);
- ``utils.minibatch``: shuffled epochs, mini-batch gradients, their noise
  and SGD on the course's model (Chapter 3);
- ``utils.momentum``: momentum on a quadratic (Chapter 4);
- ``utils.adaptive``: AdaGrad and RMSProp, per-coordinate steps
  (Chapter 5);
- ``utils.adam_analysis``: Adam's bias correction and weight decay
  (Chapter 6);
- ``utils.softmax`` and ``utils.compare``: the digits classifier and a
  fair comparison of optimizers (Chapter 7);
- ``utils.landscapes`` and ``utils.landscape_widget``: loss landscapes in
  two parameters and the panel that races optimizers across them;
- ``utils.plotting``: the functions behind the figures, one submodule
  per chapter;
- ``utils.widgets``: sliders that redraw a figure (``live_figure``);
- ``utils.exercises``: the checks that answer a learner's exercise;
- ``utils._validate``: the argument checks behind the ``ValueError``
  messages that name the argument to fix.
"""
