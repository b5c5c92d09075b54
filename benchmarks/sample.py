"""Draw a fixed sample from a Hypothesis strategy, for the benchmark scripts."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.strategies import SearchStrategy


def sample(strategy: SearchStrategy, n: int, seed_value: int) -> list:
    """``n`` examples of ``strategy``, the same ones for the same ``seed_value``."""
    out: list = []

    @seed(seed_value)
    @settings(
        max_examples=n,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example):
        out.append(example)

    collect()
    return out[:n]
