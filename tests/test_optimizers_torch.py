"""utils.optimizers against torch.optim, when PyTorch is installed.

PyTorch is not a dependency of the course, so this module is skipped
without it. Where it is installed, each optimizer takes 20 steps on
random float64 data next to the torch.optim class of the same name and
the same hyperparameters, and every iterate must agree to 1e-12.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from utils import optimizers  # noqa: E402

STEPS = 20
SHAPES = [(), (5,), (3, 4)]

# (our class, torch's class, our keywords); torch's keywords are the
# same except Adam's two betas, which torch takes as one pair
SETTINGS = [
    ("SGD", "SGD", dict(lr=0.1)),
    ("SGD", "SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", "SGD", dict(lr=0.05, momentum=0.5, dampening=0.3,
                        weight_decay=0.1)),
    ("SGD", "SGD", dict(lr=0.02, momentum=0.95, nesterov=True)),
    ("SGD", "SGD", dict(lr=0.02, momentum=0.9, nesterov=True,
                        weight_decay=0.05)),
    ("AdaGrad", "Adagrad", dict()),
    ("AdaGrad", "Adagrad", dict(lr=0.2, lr_decay=0.1)),
    ("AdaGrad", "Adagrad", dict(lr=0.1, weight_decay=0.2,
                                initial_accumulator_value=0.5, eps=1e-6)),
    ("RMSProp", "RMSprop", dict()),
    ("RMSProp", "RMSprop", dict(lr=0.003, alpha=0.9, eps=1e-6,
                                weight_decay=0.1)),
    ("RMSProp", "RMSprop", dict(lr=0.01, momentum=0.8)),
    ("RMSProp", "RMSprop", dict(lr=0.01, centered=True)),
    ("RMSProp", "RMSprop", dict(lr=0.005, alpha=0.5, momentum=0.5,
                                centered=True, weight_decay=0.01)),
    ("Adam", "Adam", dict()),
    ("Adam", "Adam", dict(lr=0.05, beta1=0.5, beta2=0.9, eps=1e-6)),
    ("Adam", "Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", "Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.01)),
    ("AdamW", "AdamW", dict()),
    ("AdamW", "AdamW", dict(lr=0.05, beta1=0.0, beta2=0.5,
                            weight_decay=0.5)),
    ("AdamW", "AdamW", dict(lr=0.01, weight_decay=0.0)),
    ("AdamW", "AdamW", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
]


def torch_keywords(kwargs):
    kwargs = dict(kwargs)
    if "beta1" in kwargs or "beta2" in kwargs:
        kwargs["betas"] = (kwargs.pop("beta1", 0.9),
                           kwargs.pop("beta2", 0.999))
    return kwargs


def setting_id(setting):
    ours, _, kwargs = setting
    return ours + "".join(f"-{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("setting", SETTINGS,
                         ids=[setting_id(s) for s in SETTINGS])
def test_matches_torch_optim(setting, seed):
    ours_name, torch_name, kwargs = setting
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=shape) for shape in SHAPES]
    tensors = [torch.tensor(p.copy(), dtype=torch.float64,
                            requires_grad=True) for p in params]
    ours = getattr(optimizers, ours_name)(**kwargs)
    theirs = getattr(torch.optim, torch_name)(tensors,
                                              **torch_keywords(kwargs))
    for _ in range(STEPS):
        # gradients of a quadratic bowl plus noise, so that they depend
        # on where each optimizer has got to
        grads = [2.0 * p + rng.normal(size=p.shape) for p in params]
        ours.step(params, grads)
        for tensor, g in zip(tensors, grads):
            tensor.grad = torch.tensor(g, dtype=torch.float64)
        theirs.step()
        for p, tensor in zip(params, tensors):
            np.testing.assert_allclose(p, tensor.detach().numpy(),
                                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("ours_name, torch_name", [
    ("AdaGrad", "Adagrad"), ("RMSProp", "RMSprop"), ("Adam", "Adam"),
    ("AdamW", "AdamW"),
])
def test_defaults_match_torch(ours_name, torch_name):
    ours = getattr(optimizers, ours_name)()
    param = torch.zeros(1, requires_grad=True)
    defaults = getattr(torch.optim, torch_name)([param]).defaults
    for key, value in defaults.items():
        if key == "betas":
            assert (ours.beta1, ours.beta2) == value
        elif hasattr(ours, key):
            assert getattr(ours, key) == value, key
