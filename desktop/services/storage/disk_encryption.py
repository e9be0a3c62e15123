"""Is the disk holding patient data encrypted? Asked where the operating system lets a program ask without
administrator rights (Windows: BitLocker protection of the drive; macOS: FileVault); elsewhere (Linux: LUKS needs
root to inspect reliably) the answer is "unknown" and nothing is shown. Used once, at first run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

Runner = Callable[[list[str]], str]


@dataclass(frozen=True, slots=True)
class DiskEncryption:
    state: str  # "on", "off" or "unknown"
    what: str  # e.g. "BitLocker on drive C:", "FileVault"


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    return done.stdout


# Shell.Application's System.Volume.BitLockerProtection: 1 on, 3 encrypting, 5 suspended... 2 off (readable by a
# standard user, unlike manage-bde or Win32_EncryptableVolume).
_BITLOCKER = {"1": "on", "3": "on", "5": "off", "2": "off", "4": "off", "6": "on"}


def bitlocker_state(output: str) -> str:
    return _BITLOCKER.get(output.strip(), "unknown")


def filevault_state(output: str) -> str:
    text = output.strip().lower()
    if text.startswith("filevault is on"):
        return "on"
    if text.startswith("filevault is off"):
        return "off"
    return "unknown"


def check_disk_encryption(folder: Path, *, platform: str = sys.platform, run: Runner = _run) -> DiskEncryption:
    """The encryption of the drive holding `folder`, as far as this account may ask."""
    try:
        if platform == "win32":
            drive = (PureWindowsPath(str(folder)).drive or "C:").rstrip("\\")
            script = (f"(New-Object -ComObject Shell.Application).NameSpace('{drive}\\').Self."
                      "ExtendedProperty('System.Volume.BitLockerProtection')")
            return DiskEncryption(bitlocker_state(run(["powershell", "-NoProfile", "-Command", script])),
                                  f"BitLocker on drive {drive}")
        if platform == "darwin":
            return DiskEncryption(filevault_state(run(["fdesetup", "status"])), "FileVault")
    except (OSError, subprocess.SubprocessError):
        pass
    return DiskEncryption("unknown", "")  # Linux and others: no question a standard account can ask reliably


def encryption_warning(found: DiskEncryption) -> str | None:
    """Words for the administrator at first run when the OS says the disk is not encrypted, else None."""
    if found.state != "off":
        return None
    return (f"\u26a0 {found.what} is off. Patient data on this computer can be read by anyone who takes the disk "
            "(a lost or stolen laptop). Turn it on before recording charges; see the administrator's guide, "
            "\"Data at rest\".")
