"""The version of the code that is running, recorded with what it produces (report snapshots)."""

import functools
import subprocess

from django.conf import settings


@functools.cache
def code_version() -> str:
    """``PARKOPS_VERSION`` when the deployment sets it, else the checkout's git
    commit, else "unknown"."""
    if settings.PARKOPS_VERSION:
        return settings.PARKOPS_VERSION
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"
