"""Runs a slow service call off the GUI thread and hands the answer back on it (like Anki's QueryOp)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.call = call
        self.relay = relay

    def run(self) -> None:
        try:
            value = self.call()
        except Exception as exc:  # reported to the GUI as a message, never a traceback dialog
            answer: tuple[SignalInstance, object] = (self.relay.failed, exc)
        else:
            answer = (self.relay.done, value)
        with contextlib.suppress(RuntimeError):  # the window closed before the answer: nobody is left to tell
            answer[0].emit(answer[1])


class BackgroundQuery(QObject):
    """One query at a time per owner; a newer request makes an older, late answer be ignored."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._relays: set[_Relay] = set()

    def cancel(self) -> None:
        """Ignore the answer of any request still running (e.g. the text it searched for was cleared)."""
        self._generation += 1

    def run(self, call: Callable[[], Any], on_done: Callable[[Any], None],
            on_failed: Callable[[Exception], None]) -> None:
        self._generation += 1
        generation = self._generation
        relay = _Relay()  # lives on the GUI thread, so its signals are delivered there
        self._relays.add(relay)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._relays.discard(relay)
            # An answer for a closed window (its widgets deleted) or for a superseded request is dropped.
            if generation == self._generation and shiboken6.isValid(self):
                handler(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_failed, exc))
        QThreadPool.globalInstance().start(_Job(call, relay))
