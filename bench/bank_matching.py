"""Time and peak memory of importing and matching a 10,000-line bank statement against a portfolio.

Usage (from the project root, with the venv's Python):

    .venv/bin/python bench/bank_matching.py [--scale 50] [--lines 10000] [--no-seed] [--database-url postgres://postgres@127.0.0.1:5432/parkops_bench]

It seeds a fresh database with ``seed_demo --scale N`` (unless --no-seed reuses the one there),
writes a China Merchants Bank CSV export (GBK) of ``--lines`` lines of money in drawn from the open
bills: a third naming the bill in the remark, a third from the company's exact name with the amount
of one of its bills, a third from strangers, then imports it in a child process
(``manage.py import_statement``) twice: the first run reads, deduplicates and matches every line; the
second finds every line already imported.
"""

import argparse
import os
import subprocess
import sys
import time

from common import ROOT, reset_database, seed

from reports import MEASURED

WRITER = """
import random, sys
import django
django.setup()
from billing.models import Bill
from tenants.models import TenantCompany
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20)
bills = list(Bill.objects.open().values_list("number", "company__name", "amount_due", "amount_paid")[: count * 2])
rng.shuffle(bills)
lines = ["招商银行交易明细", "交易日期,交易时间,对方户名,对方账号,对方开户行,借方金额,贷方金额,余额,摘要,流水号"]
for n in range(count):
    number, name, due, paid = bills[n % len(bills)]
    kind = n % 3
    if kind == 0:
        payer, amount, remark = "付款单位", due - paid, "房租 " + number
    elif kind == 1:
        payer, amount, remark = name, due - paid, "房租"
    else:
        payer, amount, remark = f"陌生单位{n}", rng.randint(100, 99999), "货款"
    lines.append(f"2026-11-{1 + n % 28:02d},10:00:00,{payer},6225{n:012d},招商银行,,{amount:.2f},0,{remark},B{n:07d}")
lines.append("合计,,,,,,,,,")
open(path, "wb").write("\\r\\n".join(lines).encode("gb18030"))
print(len(bills), "open bills drawn from")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    options = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "parkops.settings.base",
    }
    env.pop("REDIS_URL", None)
    if not options.no_seed:
        reset_database(options.database_url, env)
        seed(options.scale, env)
    path = ROOT / "var" / f"bench-statement-{options.lines}.csv"
    written = subprocess.run(
        [sys.executable, "-c", WRITER, str(path), str(options.lines)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"scale {options.scale}: {written.stdout.strip()}; {options.lines} lines in {path.name}")
    print(f"{'run':<6} {'seconds':>8} {'peak MB':>8}  what it did")
    for run in ("first", "second"):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", MEASURED, "manage.py", "import_statement", str(path), "--layout", "招商银行"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        peak_kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB"))
        print(f"{run:<6} {seconds:>8.2f} {peak_kb / 1024:>8.0f}  {done.stdout.strip()}", flush=True)


if __name__ == "__main__":
    main()
