"""Packaging files agree with pyproject.toml and with each other (no bundle needed: runs in every `make test`)."""

from __future__ import annotations

import ast
import configparser
import struct
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.infusioncharge.capture"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_spec_is_python_and_reads_name_and_version_from_pyproject() -> None:
    text = (PACKAGING / "infusion_charge.spec").read_text(encoding="utf-8")
    ast.parse(text)
    assert 'PROJECT["version"]' in text and '"pyproject.toml"' in text
    for needed in ('collect_data_files("resources")', '"migrations/**/*.py"', "copy_metadata(DIST_NAME)",
                   "QtWebEngineCore", '"pytest"', '"hypothesis"', '"mypy"', '"ruff"', '"tests"', "BUNDLE(",
                   "bundle_identifier=BUNDLE_ID"):
        assert needed in text, needed
    assert f'BUNDLE_ID = "{APP_ID}"' in text


def test_no_addons_module_is_imported_except_qtpdf() -> None:
    """What the spec may exclude: the app imports only Essentials modules and QtPdf/QtPdfWidgets."""
    essentials_and_pdf = {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtSvg", "QtPdf", "QtPdfWidgets",
                          "QtNetwork", "QtDBus"}
    used: set[str] = set()
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6."):
                used.add(node.module.split(".")[1])  # type: ignore[union-attr]
            elif isinstance(node, ast.Import):
                used |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("PySide6.")}
    assert used <= essentials_and_pdf, used - essentials_and_pdf


def test_desktop_entry_matches_the_command_and_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] in PROJECT["scripts"]
    assert section["Icon"] == APP_ID
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


def test_metainfo_names_the_launchable_and_this_version() -> None:
    root = ET.parse(PACKAGING / "linux" / f"{APP_ID}.metainfo.xml").getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("provides/binary").text == "infusion-charge"  # type: ignore[union-attr]
    assert PROJECT["version"] in [release.get("version") for release in root.iter("release")]


def test_changelog_has_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{PROJECT['version']}]" in text
    assert "## [Unreleased]" in text


def test_icons_exist_in_every_format() -> None:
    svg = ET.parse(ICONS / "infusion-charge.svg").getroot()
    assert svg.get("viewBox") == "0 0 256 256"
    png = (ICONS / "infusion-charge.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)
    ico = (ICONS / "infusion-charge.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and struct.unpack("<H", ico[4:6])[0] >= 5
    icns = (ICONS / "infusion-charge.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)


def test_inno_setup_script_installs_the_bundle_and_runs_the_self_test() -> None:
    text = (PACKAGING / "windows" / "infusion-charge.iss").read_text(encoding="utf-8")
    assert "AppId={{" in text
    assert r'#define BundleDir "..\..\dist\infusion-charge"' in text
    assert 'Parameters: "--self-test"' in text
    assert r"resources\icons\infusion-charge.ico" in text


def test_wheel_package_data_ships_the_icons() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "icons/*" in config["tool"]["setuptools"]["package-data"]["resources"]
    assert config["project"]["optional-dependencies"]["dist"] == ["pyinstaller>=6"]
