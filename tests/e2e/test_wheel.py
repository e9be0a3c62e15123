"""A non-editable install (`pip install .`) finds resources/ at run time."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_wheel_ships_the_data_and_computes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, timeout=300, capture_output=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("resources/catalog.toml", "resources/payer_classes.toml", "resources/modifiers_340b.toml",
                   "resources/mue.toml"):
        assert needed in names
    guide = {path.relative_to(ROOT).as_posix() for path in (ROOT / "resources" / "docs").rglob("*") if path.is_file()}
    assert guide and guide <= names, sorted(guide - names)  # the user guide the Help menu opens, with its pictures
    assert not any(name.startswith("tests/") for name in names)
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    # -S: no site-packages, so nothing but the unpacked wheel (and the standard library) is importable.
    body = json.dumps({
        "date_of_service": "2026-11-29", "hcpcs": "J9302", "payer_class": "medicare",
        "packages": [{"ndc": "0078-0669-13", "count": 3, "acquired_340b": False}],
        "administered_mg": 275, "discarded_mg": 25,
    })
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); import desktop;"
        "assert desktop.__file__.startswith(sys.argv[1]), desktop.__file__;"
        "from desktop.billing.tables import load_rules; from desktop.billing.engine import compute;"
        "from desktop.interop.calc_json import parse_administration, loads;"
        "r = load_rules(); res = compute(parse_administration(loads(sys.stdin.read()), r), r);"
        "print(json.dumps([l.units for l in res.lines]))"
    )
    run = subprocess.run([sys.executable, "-S", "-c", code, str(target)], input=body, capture_output=True,
                         text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == [28, 2]
