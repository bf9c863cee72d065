"""The production settings plus the benchmark's ceiling views; for ``bench/load.py`` only."""

from parkops.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
