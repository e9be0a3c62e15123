"""Issue 21 §4: the first-run check of disk encryption: BitLocker / FileVault where the OS answers a standard
account, nothing on Linux."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.storage.disk_encryption import (
    DiskEncryption,
    bitlocker_state,
    check_disk_encryption,
    encryption_warning,
    filevault_state,
)


@pytest.mark.parametrize(("output", "state"), [("1\r\n", "on"), ("2", "off"), ("3", "on"), ("5", "off"),
                                               ("", "unknown"), ("0", "unknown")])
def test_bitlocker_protection_values(output: str, state: str) -> None:
    assert bitlocker_state(output) == state


@pytest.mark.parametrize(("output", "state"), [("FileVault is On.\n", "on"), ("FileVault is Off.\n", "off"),
                                               ("FileVault is On.\nDeferred enablement appears to be active", "on"),
                                               ("fdesetup: command not found", "unknown")])
def test_filevault_status_lines(output: str, state: str) -> None:
    assert filevault_state(output) == state


def test_linux_asks_nothing_and_warns_nothing(tmp_path: Path) -> None:
    asked: list[list[str]] = []
    found = check_disk_encryption(tmp_path, platform="linux", run=lambda command: asked.append(command) or "")
    assert found.state == "unknown" and asked == [] and encryption_warning(found) is None


def test_windows_asks_about_the_data_drive_and_warns_when_bitlocker_is_off() -> None:
    asked: list[list[str]] = []

    def answer(command: list[str]) -> str:
        asked.append(command)
        return "2\r\n"

    found = check_disk_encryption(Path("D:/ProgramData/infusion"), platform="win32", run=answer)
    assert found == DiskEncryption("off", "BitLocker on drive D:")
    assert "NameSpace('D:\\')" in asked[0][-1]
    warning = encryption_warning(found)
    assert warning is not None and "BitLocker on drive D: is off" in warning and "administrator's guide" in warning


def test_macos_filevault_on_gives_no_warning() -> None:
    found = check_disk_encryption(Path("/Users/x"), platform="darwin", run=lambda _c: "FileVault is On.\n")
    assert found.state == "on" and encryption_warning(found) is None


def test_a_missing_tool_is_unknown_not_a_crash() -> None:
    def missing(_command: list[str]) -> str:
        raise FileNotFoundError("powershell")

    assert check_disk_encryption(Path("C:/x"), platform="win32", run=missing).state == "unknown"
