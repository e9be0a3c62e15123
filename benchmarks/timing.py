"""Timing helpers the benchmarks share: the median and the best of several rounds, in seconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timings(action: Callable[[], object], rounds: int) -> list[float]:
    measured = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        measured.append(time.perf_counter() - start)
    return measured


def median_of(action: Callable[[], object], rounds: int) -> float:
    return statistics.median(timings(action, rounds))


def best_of(action: Callable[[], object], rounds: int) -> float:
    return min(timings(action, rounds))
