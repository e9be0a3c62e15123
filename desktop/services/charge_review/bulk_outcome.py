"""What a run over several drugs or visits did: which succeeded, which failed, and the end of its sentence."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar


class Outcome(Protocol):
    @property
    def ok(self) -> bool: ...

    @property
    def unknown(self) -> bool: ...  # the database went away while its change was committed


R = TypeVar("R", bound=Outcome)


class BulkOutcome(Generic[R]):
    """Shared by the queue's per-drug and per-visit results (each a frozen dataclass with `results`)."""

    __slots__ = ()
    results: tuple[R, ...]

    @property
    def succeeded(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.ok)

    @property
    def failed(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if not r.ok)

    def failures_words(self) -> str:
        """"; 2 not changed (see why below)" and the ones whose outcome is not known, then the full stop."""
        unknown = [r for r in self.failed if r.unknown]
        unchanged = len(self.failed) - len(unknown)
        text = f"; {unchanged} not changed (see why below)" if unchanged else ""
        if unknown:
            text += f"; {len(unknown)} not known (the database stopped answering: check them in the reloaded list)"
        return text + "."
