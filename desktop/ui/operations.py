"""Operations: a change runs on a worker thread and reports back on the GUI thread (like Anki's CollectionOp).

    CollectionOp(parent, lambda: facade().chair.record(request), label="Saving the charge", hub=hub,
                 changes=lambda outcome: OpChanges.of("visit", outcome.id))
        .success(show_saved).failure(show_problem).slow(say_still_saving)
        .run_in_background()

The GUI never waits on the database: the call runs in Qt's thread pool; `success(value)` or `failure(error)` runs
on the GUI thread afterwards (never both, never twice); `slow()` runs once if the call takes longer than
`slow_after_ms`, so the screen can say it is still working. An `OperationHub` (one per window) tells the window
when operations start and end, and broadcasts what each successful one changed, for pages to refresh from:

    hub.changed.connect(lambda changes: changes.touches("visit") and self.reload())

Kinds: "visit" (any drug or visit change: record, correct, void, verify, hold, post, ticket printed), "audit",
"settings", "users", "catalog", "reference", "export".
An error that is not a ServiceError (a bug) is logged without its message and shown as words, never a traceback.

Long work (a batch of tickets, an export, an import, a report) shows progress and can be cancelled:

    op = CollectionOp(page, lambda progress: facade.exports.run(kind, period, progress=progress),
                      label="Exporting", takes_progress=True)
    op.progress(lambda done, total: bar.setRange(0, total) or bar.setValue(done)).success(...).failure(...)
    op.run_in_background();  cancel_button.clicked.connect(op.cancel)

The call gets a `Progress`, a `(done, total)` callable the services already accept as `progress=`: each call
reports to the GUI thread (at most every 50 ms) and raises `OperationCancelled` once `cancel()` was asked, so the
service's transaction rolls back; `failure` then gets that error ("Cancelled: nothing was changed.").
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, SignalInstance

from desktop.facade.errors import OperationCancelled, ServiceError
from desktop.facade.workstation import log_failure, log_unexpected

T = TypeVar("T")
SLOW_AFTER_MS = 1500


@dataclass(frozen=True, slots=True)
class OpChanges:
    """What an operation changed: the kinds of records ("visit", "audit", "settings", ...) and their ids."""

    kinds: frozenset[str] = frozenset()
    ids: frozenset[int] = frozenset()

    @staticmethod
    def of(kind: str, *ids: int | None) -> OpChanges:
        return OpChanges(frozenset({kind}), frozenset(i for i in ids if i is not None))

    def touches(self, kind: str) -> bool:
        return kind in self.kinds

    def __bool__(self) -> bool:
        return bool(self.kinds)


NO_CHANGES = OpChanges()


@dataclass(frozen=True, slots=True)
class OpResult(Generic[T]):
    """How an operation ended: `value` on success, `error` otherwise, with the time it took."""

    label: str
    value: T | None = None
    error: Exception | None = None
    changes: OpChanges = field(default_factory=OpChanges)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def failure_words(error: Exception) -> str:
    """What to show for a failed operation: the service's own words, or a plain sentence for a bug."""
    if isinstance(error, ServiceError):
        return str(error)
    return (f"An unexpected error stopped this ({type(error).__name__}); nothing more was done. It was written to "
            "the program's log: tell your administrator if it happens again.")


def split_detail(words: str) -> tuple[str, str]:
    """The sentence for people and the "(Technical detail: …)" at its end, apart, so a screen can put the
    advice first and the detail last."""
    marker = " (Technical detail: "
    if marker in words and words.endswith(")"):
        head, _, tail = words.rpartition(marker)
        return head, f"(Technical detail: {tail}"
    return words, ""


class OperationHub(QObject):
    """One per window: operations in flight, and the broadcast of what changed."""

    started = Signal(str)  # the label
    finished = Signal(object)  # OpResult
    changed = Signal(object)  # OpChanges of a successful operation that changed something
    person_changed = Signal(str)  # another person signed in at the lock screen: the window's facade is theirs now

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running: set[str] = set()

    @property
    def busy(self) -> bool:
        return bool(self.running)


class _Relay(QObject):
    """Lives on the GUI thread, so the worker's signals are delivered there."""

    done = Signal(object, float)
    failed = Signal(object, float)
    stepped = Signal(int, int)


PROGRESS_EVERY_S = 0.05  # a progress bar needs no more than 20 updates a second


class Progress:
    """Handed to a long call on its worker thread: `progress(done, total)` reports, and raises OperationCancelled
    once the person asked to cancel."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._last = 0.0
        self.cancelled = False

    def __call__(self, done: int, total: int) -> None:
        if self.cancelled:
            raise OperationCancelled()
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_EVERY_S:
            self._last = now
            self._relay.stepped.emit(done, total)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.call, self.relay = call, relay

    def run(self) -> None:
        began = time.monotonic()
        try:
            value = self.call()
        except Exception as exc:  # reported on the GUI thread as words
            answer: tuple[SignalInstance, object] = (self.relay.failed, exc)
        else:
            answer = (self.relay.done, value)
        with contextlib.suppress(RuntimeError):  # the window closed before the answer: nobody is left to tell
            answer[0].emit(answer[1], time.monotonic() - began)


class CollectionOp(Generic[T]):
    """A change to the database run off the GUI thread; see the module docstring."""

    def __init__(self, parent: QObject, call: Callable[..., T], *, label: str,
                 changes: OpChanges | Callable[[T], OpChanges] = NO_CHANGES, hub: OperationHub | None = None,
                 slow_after_ms: int = SLOW_AFTER_MS, takes_progress: bool = False) -> None:
        self.parent, self.call, self.label = parent, call, label
        self.takes_progress = takes_progress  # `call` takes a Progress: it can report and be cancelled
        self._progress: Progress | None = None
        self._on_progress: Callable[[int, int], None] | None = None
        self.changes, self.hub, self.slow_after_ms = changes, hub, slow_after_ms
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None
        self._on_slow: Callable[[], None] | None = None
        self._relay: _Relay | None = None
        self.running = False

    def success(self, handler: Callable[[T], None]) -> CollectionOp[T]:
        self._on_success = handler
        return self

    def failure(self, handler: Callable[[Exception], None]) -> CollectionOp[T]:
        self._on_failure = handler
        return self

    def slow(self, handler: Callable[[], None]) -> CollectionOp[T]:
        self._on_slow = handler
        return self

    def progress(self, handler: Callable[[int, int], None]) -> CollectionOp[T]:
        """`handler(done, total)` on the GUI thread as a `takes_progress` call reports."""
        self._on_progress = handler
        return self

    def cancel(self) -> None:
        """Ask a `takes_progress` call to stop at its next report; its failure handler gets OperationCancelled."""
        if self._progress is not None:
            self._progress.cancelled = True

    def run_in_background(self) -> CollectionOp[T]:
        if self.running:
            raise RuntimeError(f"{self.label}: already running")
        self.running = True
        relay = self._relay = _Relay()
        timer = QTimer(relay)
        timer.setSingleShot(True)
        timer.setInterval(self.slow_after_ms)
        timer.timeout.connect(self._slow)
        relay.done.connect(self._done)
        relay.failed.connect(self._failed)
        relay.stepped.connect(self._stepped)
        call: Callable[[], Any] = self.call
        if self.takes_progress:
            self._progress = progress = Progress(relay)
            call = lambda: self.call(progress)  # noqa: E731
        if self.hub is not None:
            self.hub.running.add(self.label)
            self.hub.started.emit(self.label)
        _IN_FLIGHT.add(self)  # kept alive until it reports, even if the caller drops it
        timer.start()
        QThreadPool.globalInstance().start(_Job(call, relay))
        return self

    def _alive(self) -> bool:
        return shiboken6.isValid(self.parent)

    def _slow(self) -> None:
        if self.running and self._on_slow is not None and self._alive():
            self._on_slow()

    def _stepped(self, done: int, total: int) -> None:
        if self.running and self._on_progress is not None and self._alive():
            self._on_progress(done, total)

    def _end(self, result: OpResult[T]) -> None:
        self.running = False
        _IN_FLIGHT.discard(self)
        if self._relay is not None:
            self._relay.deleteLater()
        hub = self.hub
        if hub is not None and shiboken6.isValid(hub):
            hub.running.discard(self.label)
            hub.finished.emit(result)
            if result.ok and result.changes:
                hub.changed.emit(result.changes)

    def _done(self, value: T, seconds: float) -> None:
        changes = self.changes(value) if callable(self.changes) else self.changes
        self._end(OpResult(self.label, value=value, changes=changes, seconds=seconds))
        if self._on_success is not None and self._alive():
            self._on_success(value)

    def _failed(self, error: Exception, seconds: float) -> None:
        if isinstance(error, OperationCancelled):
            pass  # the person's own choice: nothing to log
        elif isinstance(error, ServiceError):
            log_failure(self.label, error)  # its type and the database's code, never its words (may name a patient)
        else:
            log_unexpected(self.label, error)
        self._end(OpResult(self.label, error=error, seconds=seconds))
        if self._on_failure is not None and self._alive():
            self._on_failure(error)


_IN_FLIGHT: set[CollectionOp[Any]] = set()
