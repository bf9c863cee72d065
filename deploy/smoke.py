"""The smoke run's checks, through nginx, of a stack deploy/check.sh started from the deploy/ files:
staff and a tenant sign in, a report is requested, rendered by the reports worker and downloaded
(nginx sends it by X-Accel-Redirect), a tenant's photo reaches its company and nobody else, and
nothing under media is served directly.  python deploy/smoke.py http://127.0.0.1:PORT PASSWORD"""

import datetime
import io
import re
import sys
import time

import requests
from PIL import Image


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"deploy-check FAILED: {what}")
    print(f"  ok  {what}")


def signed_in(base: str, login_path: str, username: str, password: str, then: str) -> requests.Session:
    session = requests.Session()
    session.headers["Accept-Language"] = "en"
    session.get(f"{base}{login_path}", timeout=20)
    answer = session.post(
        f"{base}{login_path}",
        data={
            "username": username,
            "password": password,
            "next": then,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}{login_path}"},
        timeout=20,
    )
    check(answer.ok and answer.url == f"{base}{then}", f"{username} signs in at {login_path}")
    return session


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (180, 20, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


def main(base: str, password: str) -> None:
    health = requests.get(f"{base}/healthz/", timeout=20)
    check(health.status_code == 200, "nginx → gunicorn answers /healthz/")
    static = requests.get(f"{base}/static/admin/css/base.css", timeout=20)
    check(static.status_code == 200 and "immutable" in static.headers.get("Cache-Control", ""), "static files, cached")

    manager = signed_in(base, "/admin/login/", "manager", password, "/admin/")
    today = datetime.date.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    page = manager.get(f"{base}/reports/", timeout=20)
    requested = manager.post(
        f"{base}/reports/",
        data={
            "kind": "occupancy",
            "period": last_month,
            "building": "",
            "language": "zh-hans",
            "csrfmiddlewaretoken": manager.cookies["csrftoken"],
        },
        headers={"Referer": page.url},
        timeout=20,
    )
    run = re.search(r"/reports/(\d+)/$", requested.url)
    check(run is not None, f"a report for {last_month} is requested")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        detail = manager.get(f"{base}/reports/{run[1]}/", timeout=20).text
        if "status-done" in detail or "status-failed" in detail:
            break
        time.sleep(1)
    check("status-done" in detail, "the reports worker rendered it")
    pdf = manager.get(f"{base}/reports/{run[1]}/download/", timeout=60)
    check(pdf.ok and pdf.content.startswith(b"%PDF"), "the manager downloads the PDF (nginx sends it)")

    inke = signed_in(base, "/portal/login/", "inke", password, "/portal/")
    form = inke.get(f"{base}/portal/requests/new/", timeout=20)
    unit = re.search(r'<select name="unit"[^>]*>.*?<option value="(\d+)"', form.text, re.S)
    check(unit is not None, "the tenant's service-request form lists its units")
    filed = inke.post(
        f"{base}/portal/requests/new/",
        data={
            "unit": unit[1],
            "category": "repair",
            "priority": "normal",
            "description": "空调漏水 (deploy-check)",
            "csrfmiddlewaretoken": inke.cookies["csrftoken"],
        },
        files={"photos": ("leak.png", photo(), "image/png")},
        headers={"Referer": form.url},
        timeout=30,
    )
    image = re.search(r'<img src="(/files/service-requests/[^"]+)"', filed.text)
    check(image is not None, "the request is filed with its photo")
    own = inke.get(f"{base}{image[1]}", timeout=20)
    check(own.status_code == 200 and own.content.startswith(b"\x89PNG"), "its company reads the photo")
    check("no-store" in own.headers.get("Cache-Control", ""), "…privately, never cached")

    kugou = signed_in(base, "/portal/login/", "kugou", password, "/portal/")
    check(kugou.get(f"{base}{image[1]}", timeout=20).status_code == 404, "another tenant is refused it")
    check(requests.get(f"{base}{image[1]}", timeout=20).status_code == 404, "an anonymous request is refused")
    media_path = image[1].replace("/files/", "/media/", 1)
    check(requests.get(f"{base}{media_path}", timeout=20).status_code == 404, "nothing is served from /media/")
    protected = image[1].replace("/files/", "/protected-media/", 1)
    check(requests.get(f"{base}{protected}", timeout=20).status_code == 404, "nginx's internal location is internal")
    print("deploy-check: all checks passed")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
