"""A wheel built from the repository, installed in a fresh venv, parses a seed.

This proves the grammars ship inside the wheel (they live in the top-level
``grammars/`` folder of the repository). It builds and installs for real, so it
takes a little while and needs the package registry.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "002_litong_justice_2022_tab" / "input.txt"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    (path,) = out.glob("govreport-*.whl")
    return path


def test_wheel_contains_every_grammar(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for grammar in (ROOT / "grammars").rglob("*.lark"):
        assert f"govreport/grammars/{grammar.relative_to(ROOT / 'grammars')}" in names


def test_wheel_in_fresh_venv_parses_a_seed(wheel, tmp_path):
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    bindir = env / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([bindir / "python", "-m", "pip", "install", "-q", str(wheel)], check=True)
    # run from elsewhere, so the repository's own grammars/ cannot be found
    proc = subprocess.run(
        [bindir / "govreport", "parse", str(SEED), "--format", "json"],
        capture_output=True,
        check=True,
        cwd=tmp_path,
    )
    doc = json.loads(proc.stdout)
    assert (doc["template"], doc["year"], doc["agency"]) == ("2021", 2022, "利通区司法局")
    assert doc["layout"] == "tab"
