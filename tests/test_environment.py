"""environment.yml (conda) and pyproject.toml (pip) name the same packages.

Each package must appear in both with the same version bounds, and the
Python version must agree, so that a conda learner and a pip learner get
the same course.
"""

import re
import tomllib

import yaml

from notebooks import ROOT

REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)\s*(.*)$")

# Where conda-forge names a package differently from PyPI: conda's name
# on the left, PyPI's on the right. Nothing else is translated.
CONDA_TO_PIP = {"playwright-python": "playwright"}


def split(requirement):
    name, spec = REQUIREMENT.match(requirement.strip()).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def pip_side():
    project = tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(map(split, project["dependencies"])), project[
        "requires-python"]


def conda_side():
    env = yaml.safe_load(
        (ROOT / "environment.yml").read_text(encoding="utf-8"))
    packages, pip_lines = {}, []
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip_lines += entry.get("pip", [])
        else:
            name, spec = split(entry)
            packages[CONDA_TO_PIP.get(name, name)] = spec
    return packages, pip_lines


def test_same_packages_with_same_bounds():
    pip_packages, _ = pip_side()
    conda_packages, _ = conda_side()
    python = conda_packages.pop("python")
    conda_packages.pop("pip")
    assert conda_packages == pip_packages
    assert python


def test_every_renamed_package_is_listed_under_its_conda_name():
    env = yaml.safe_load(
        (ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = {split(entry)[0] for entry in env["dependencies"]
             if isinstance(entry, str)}
    for conda_name, pip_name in CONDA_TO_PIP.items():
        assert conda_name in names, f"{conda_name} is not in environment.yml"
        assert pip_name not in names, (
            f"environment.yml names {pip_name}; conda-forge calls it "
            f"{conda_name}")


def test_same_python():
    _, requires_python = pip_side()
    conda_packages, _ = conda_side()
    assert conda_packages["python"] == requires_python.replace(" ", "")


def test_conda_installs_utils_editable():
    _, pip_lines = conda_side()
    assert pip_lines == ["--editable ."]


def test_every_package_says_why_it_is_there():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    why = text.split("# Why each package is here:")[1].split(
        "dependencies = [")[0]
    for name in pip_side()[0]:
        assert re.search(rf"^#\s+{re.escape(name)}\s+\S", why,
                         flags=re.M), f"no reason given for {name}"
