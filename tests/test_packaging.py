"""A built wheel works outside the repository (issue 11, item 5).

Builds the wheel from a copy of the sources, installs it with ``--no-deps`` into a fresh venv that sees this
venv's packages through a ``.pth`` file (no network, no long install), then, from a folder outside the
repository: ``normcheck check`` on the embedded sample, the registry, the sample and the suite builders
loaded from the installed package, and every module a core command imports provided by the core
dependencies (no torch, transformers, matplotlib, ...). Also: the ``[ml]`` extra's absence is a coded error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Run inside the installed venv, from a temporary folder: imports and CLI paths that a plain install must serve.
_PROBE = r'''
import importlib, importlib.metadata as md, json, re, sys
from pathlib import Path

site = Path(sys.argv[1]).resolve()
import normcheck
from normcheck import paths
from normcheck.cli.check_cmd import sample_draft
from normcheck.corpus.registry import default_registry_path, load_registry
from normcheck.evaluation.suites import BUILTIN_SUITES, available_suites, load_builder

def inside(p):
    return Path(p).resolve().is_relative_to(site)

out = {"package": normcheck.__file__, "registry": str(default_registry_path()), "registry_rows": len(load_registry()),
       "sample": str(sample_draft()), "checkout": str(paths.source_checkout()), "suites": list(available_suites())}
out["builders"] = [load_builder(None, s).__file__ for s in BUILTIN_SUITES]
out["all_inside"] = all(inside(p) for p in [out["package"], out["registry"], out["sample"], *out["builders"]])

# Every CLI path of the core, in-process (typer's runner), then: which distributions did they import?
from typer.testing import CliRunner
from normcheck.cli import app
runner = CliRunner()
sample = str(sample_draft())
codes = {}
for name, args in {"check": ["check", "-q"], "segment": ["segment", sample, "--format", "tree"],
                   "corpus info": ["corpus", "info"], "eval": ["eval", "--suite", "no-such-suite"]}.items():
    r = runner.invoke(app, args)
    codes[name] = r.exit_code
    if name == "check":
        out["check_stdout"] = r.stdout
out["codes"] = codes
# the report formats too: only what they import is judged here (tests/test_cli_check.py judges the reports)
for fmt in ("csv", "html", "docx"):
    runner.invoke(app, ["check", sample, "-q", "--format", fmt, "--out", str(Path(sys.argv[2]) / f"r.{fmt}")])

def closure(dist):
    seen, todo = set(), [dist]
    while todo:
        d = todo.pop()
        key = re.sub(r"[-_.]+", "-", d).lower()
        if key in seen:
            continue
        seen.add(key)
        try:
            reqs = md.requires(d) or []
        except md.PackageNotFoundError:
            continue
        for r in reqs:
            if "extra ==" in r or "extra==" in r:
                continue
            todo.append(re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0])
    return seen

allowed = closure("normcheck")
owners = md.packages_distributions()
stdlib = set(sys.stdlib_module_names)
used = {}
for mod in list(sys.modules):
    top = mod.split(".")[0]
    if top in stdlib or top.startswith("_") or top in ("normcheck", "typer", "click"):
        continue
    for d in owners.get(top, []):
        used[re.sub(r"[-_.]+", "-", d).lower()] = top
# Imports a core dependency makes only when the package happens to be installed (guarded by try/except in
# that dependency, so a plain core install works without it): numpy.f2py, pulled in by scipy's array-API
# layer, tries charset_normalizer.
OPTIONAL_TRANSITIVE = {"charset-normalizer"}
out["outside_core"] = sorted(d for d in used if d not in allowed and d not in OPTIONAL_TRANSITIVE)
out["imported"] = sorted(used)
print("PROBE " + json.dumps(out, ensure_ascii=False))
'''


def _site_packages(prefix: Path) -> Path:
    return Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(venv folder, its site-packages) holding the wheel built from this checkout."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "normcheck", src / "normcheck", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_REQUIRE_VIRTUALENV")}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist),
                    str(src)], check=True, cwd=tmp, env=env, timeout=180)
    (wheel,) = dist.glob("normcheck-*.whl")
    target = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    site = _site_packages(target)
    # the new venv sees this venv's packages (pip, typer, torch, ...) after its own; this venv's editable
    # normcheck hook is a .pth there, which a path added this way does not run
    (site / "_parent_site.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    py = target / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True,
                   cwd=tmp, env=env, timeout=120)
    return target, site


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NORMCHECK_CORPUS_SRC")}
    env["NORMCHECK_HOME"] = str(home)
    return env


def _home(tmp_path: Path) -> Path:
    """The corpus the other tests use when there is one (``$NORMCHECK_HOME``), else an empty home."""
    from normcheck.paths import default_corpus_path, normcheck_home

    return normcheck_home() if default_corpus_path().is_file() else tmp_path / "home"


def test_wheel_runs_check_outside_the_repository(installed: tuple[Path, Path], tmp_path: Path) -> None:
    target, site = installed
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    r = subprocess.run([str(target / "bin" / "normcheck"), "check", "-q"], cwd=cwd, env=_env(_home(tmp_path)),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    line = json.loads(r.stdout.splitlines()[0])
    assert Path(line["document"]["path"]).resolve().is_relative_to(site.resolve())
    assert line["document"]["title"] and line["clauses"] and not line.get("error")


def test_wheel_ships_its_data_and_needs_only_the_core(installed: tuple[Path, Path], tmp_path: Path) -> None:
    target, site = installed
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE, encoding="utf-8")
    r = subprocess.run([str(target / "bin" / "python"), str(probe), str(site), str(tmp_path)], cwd=tmp_path,
                       env=_env(_home(tmp_path)), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(next(x for x in r.stdout.splitlines() if x.startswith("PROBE "))[6:])
    assert out["all_inside"], out  # package, registry, sample and builders come from the wheel, not the checkout
    assert str(REPO) not in json.dumps(out["builders"]) + out["registry"] + out["sample"]
    assert out["checkout"] == "None" and out["registry_rows"] > 0
    assert out["suites"] == ["citations", "amended", "noise_floor", "authority", "inconsistency"]
    assert out["codes"]["check"] == 0 and out["codes"]["segment"] == 0
    assert out["codes"]["eval"] != 0  # an unknown suite: a message, after importing the harness
    assert out["outside_core"] == [], f"core commands import packages outside the core dependencies: {out}"
    assert not {"torch", "transformers", "matplotlib", "spacy", "jieba"} & set(out["imported"])
    assert "python-docx" in out["imported"]  # the docx report ran its imports


def test_missing_ml_extra_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from normcheck.errors import Code, NormcheckError
    from normcheck.ml import require_ml

    monkeypatch.setitem(sys.modules, "torch", None)  # as if the [ml] extra were not installed
    with pytest.raises(NormcheckError) as e:
        require_ml("training a model")
    assert e.value.code is Code.EXTRA_MISSING and "normcheck[ml]" in str(e.value) and "torch" in str(e.value)


def test_train_without_ml_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app

    monkeypatch.setitem(sys.modules, "transformers", None)
    data = tmp_path / "pairs.jsonl"
    data.write_text('{"text_a": "甲", "text_b": "乙", "label": "consistent"}\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["train", "pair", "--data", str(data), "--out", str(tmp_path / "m"), "-q"])
    assert r.exit_code != 0
    assert "E303" in r.output and "normcheck[ml]" in r.output
