"""What both benchmarks share: a fresh database seeded at a given scale."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def reset_database(url: str, env: dict) -> None:
    """Drop and recreate the database named by ``url`` (or delete the SQLite file), then migrate."""
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-qc", sql], check=True)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def seed(scale: int, env: dict) -> None:
    """Seed, then vacuum as autovacuum would soon after a bulk load: the benchmarks measure the
    steady state, with the visibility map set (index-only scans), not the first minutes after loading."""
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--scale", str(scale)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if env["DATABASE_URL"].startswith("postgres"):
        subprocess.run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], check=True)


def collect_static(env: dict) -> None:
    """Production settings serve hashed static files from a manifest, which collectstatic writes."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
