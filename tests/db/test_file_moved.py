"""The SQLite file deleted, moved or replaced under a running store: nothing is reported saved that is not there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.services import StoreUnavailableError, list_administrations, open_store, record_administration
from tests.services.conftest import make_request


def _count_rows(path: Path) -> int:
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM administration").fetchone()[0])
    finally:
        connection.close()


def test_deleted_file_refuses_the_write_and_does_not_recreate_it(tmp_path: Path) -> None:
    path = tmp_path / "charges.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        record_administration(store, make_request(), "rn.alvarez")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        with pytest.raises(StoreUnavailableError, match=r"deleted or moved away.*Nothing was saved"):
            record_administration(store, make_request(mrn="MRN002"), "rn.alvarez")
        with pytest.raises(StoreUnavailableError, match="deleted or moved away"):
            list_administrations(store)
        store.engine.dispose()  # even a fresh connection must not create an empty database at the path
        with pytest.raises(StoreUnavailableError, match="deleted or moved away"):
            record_administration(store, make_request(mrn="MRN003"), "rn.alvarez")
        assert not path.exists()
    finally:
        store.close()


def test_moved_file_keeps_every_confirmed_record_and_nothing_more(tmp_path: Path) -> None:
    path = tmp_path / "charges.sqlite3"
    moved = tmp_path / "elsewhere.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        record_administration(store, make_request(), "rn.alvarez")
        store.engine.dispose()  # the app's connections are closed between calls: move file and WAL together
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                os.replace(f"{path}{suffix}", f"{moved}{suffix}")
        with pytest.raises(StoreUnavailableError, match="deleted or moved away"):
            record_administration(store, make_request(mrn="MRN002"), "rn.alvarez")
    finally:
        store.close()
    assert _count_rows(moved) == 1  # the one confirmed record, and not the refused one


def test_replaced_file_is_named_and_neither_file_gets_the_record(tmp_path: Path) -> None:
    path = tmp_path / "charges.sqlite3"
    other = tmp_path / "other.sqlite3"
    first = open_store(f"sqlite:///{other}")
    first.close()
    store = open_store(f"sqlite:///{path}")
    try:
        record_administration(store, make_request(), "rn.alvarez")
        store.engine.dispose()  # WAL checkpointed into the file, as between the app's calls
        os.replace(other, path)  # someone puts another database in its place
        with pytest.raises(StoreUnavailableError, match="replaced by another file"):
            record_administration(store, make_request(mrn="MRN002"), "rn.alvarez")
    finally:
        store.close()
    assert _count_rows(path) == 0


def test_reopening_after_the_file_came_back_works(tmp_path: Path) -> None:
    path = tmp_path / "charges.sqlite3"
    store = open_store(f"sqlite:///{path}")
    record_administration(store, make_request(), "rn.alvarez")
    store.close()
    again = open_store(f"sqlite:///{path}")
    try:
        assert len(list_administrations(again)) == 1
        record_administration(again, make_request(mrn="MRN002"), "rn.alvarez")
        assert len(list_administrations(again)) == 2
    finally:
        again.close()
