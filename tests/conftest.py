"""Hypothesis profiles.

* ``ci`` (the default): few examples per property, derandomized (the same
  examples every run, so CI does not flake on a rare find — that is the fuzz
  profile's job), no deadline (parse times vary on shared machines), no example
  database — keeps the whole suite to about a minute or two on two cores.
* ``fuzz``: many examples, for long local runs of the properties:
  ``HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_properties.py``.
  (``benchmarks/fuzz.py`` and ``benchmarks/roundtrip.py`` run the large campaigns.)

The suite runs Lark's pure-Python parser (``GOVREPORT_PURE_PYTHON``), the path every
install has; ``tests/test_accelerator.py`` checks that lark-cython, when installed, gives
the same reports.

Tests of costly properties set ``max_examples`` as a fraction of the profile's
(``tests/test_properties.py``: ``examples()``), so that the fuzz profile raises
them too.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=2_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
os.environ.setdefault("GOVREPORT_PURE_PYTHON", "1")
