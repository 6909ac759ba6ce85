"""Ledger at scale over real HTTP: time the unit page and GET /api/tasks?unit=… end to end.

    .venv/bin/python bench/web.py [--db URL] [--tasks 1000000] [--requests 300] [--reuse]

Fills the database with bench/ledger.py's synthetic ledger (same generator,
same 2,000 Zipf-skewed units), creates an office user and an API token through
duban.ledger.service, then starts the real app (create_app + uvicorn, as
`duban serve` does, including gc.freeze()) on 127.0.0.1 and a free port in a
background thread. A keep-alive httpx client times, request by request:
  unit page        — GET /units/{id} as HTML, logged in through the login form
                     (a bearer request would get the page's JSON instead);
  api ?unit=       — GET /api/tasks?unit=<name> with Authorization: Bearer;
and each again for the single biggest unit (most task assignments).
Units are drawn half by task weight, half uniformly, as bench/ledger.py does.
Every response must be 200 and be what was asked for. Each case is bounded by
--requests and by --budget seconds. Goal: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import secrets
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ledger  # noqa: E402  (bench/ledger.py: generator, fill, p95; puts the repo on sys.path)

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from duban import db  # noqa: E402
from duban.errors import NotFound  # noqa: E402
from duban.ledger import service  # noqa: E402
from duban.ledger.models import TaskUnit, Unit  # noqa: E402

HOST = "127.0.0.1"
USER = "bench-web"
WARMUP = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def make_user(url: str) -> tuple[str, str, str]:
    """A new office user (fresh name per run, so --reuse needs no cleanup), its
    password for the login form, and a bearer token for the API."""
    sf = db.session_factory(url)
    username = f"{USER}-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with sf() as s:
        try:
            service.get_person(username, session=s)
        except NotFound:
            service.create_person(username, session=s, role="office", password=password,
                                  actor="bench", source="bench")
        token = service.create_token(username, session=s, actor="bench", source="bench")
        s.commit()
    return username, password, token


def pick_units(url: str, n: int, seed: int = 11) -> tuple[list[tuple[int, str]], tuple[int, str, int]]:
    """n (id, name) picks, half weighted like the generator, half uniform; and the
    biggest unit (id, name, assignments) counted from task_unit."""
    sf = db.session_factory(url)
    with sf() as s:
        units = list(s.execute(select(Unit.id, Unit.name).order_by(Unit.id)))
        big_id, big_n = s.execute(select(TaskUnit.unit_id, func.count().label("n"))
                                  .group_by(TaskUnit.unit_id)
                                  .order_by(func.count().desc()).limit(1)).one()
        big_name = s.scalar(select(Unit.name).where(Unit.id == big_id))
    rnd = random.Random(seed)
    weights = ledger.unit_weights(len(units))
    picks = [tuple(rnd.choices(units, weights)[0]) if k % 2 == 0 else tuple(rnd.choice(units))
             for k in range(n)]
    return picks, (big_id, big_name, big_n)


class Server:
    """The real app under uvicorn in a daemon thread, loopback only."""

    def __init__(self, url: str):
        from duban.web.app import create_app
        from duban.web.config import WebConfig

        app = create_app(WebConfig(db_url=url, secret_key=secrets.token_urlsafe(32)))
        gc.collect()  # as `duban serve`: long-lived objects out of the full GC passes
        gc.freeze()
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=self.port, log_level="warning",
                                                    access_log=False, proxy_headers=False,
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> "Server":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def log_in(client: httpx.Client, username: str, password: str) -> None:
    """The login form as a browser submits it: GET /login for the CSRF token, then POST."""
    page = client.get("/login")
    page.raise_for_status()
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not m:
        raise RuntimeError("no csrf_token on the login page")
    r = client.post("/login", data={"csrf_token": m.group(1), "username": username,
                                    "password": password, "next": ""})
    if r.status_code != 303:
        raise RuntimeError(f"login failed: HTTP {r.status_code}")


def run_case(client: httpx.Client, paths: list[tuple[str, str]], budget: float,
             check) -> list[float]:
    """Time GET of each (path, params, expected unit) (after WARMUP untimed ones); stop early past budget seconds."""
    for path, params, expect in paths[:WARMUP]:
        check(client.get(path, params=params), expect)
    out = []
    stop = time.monotonic() + budget
    for path, params, expect in paths:
        t0 = time.perf_counter()
        r = client.get(path, params=params)
        r.read()
        out.append((time.perf_counter() - t0) * 1000)
        check(r, expect)
        if time.monotonic() > stop:
            print(f"  budget of {budget:.0f} s reached after {len(out)} requests", file=sys.stderr)
            break
    return out


def check_html(r: httpx.Response, unit_name: str) -> None:
    if r.status_code != 200 or "text/html" not in r.headers.get("content-type", "") \
            or unit_name not in r.text:
        raise RuntimeError(f"{r.request.url}: HTTP {r.status_code}, not the unit page of {unit_name}")


def check_api(r: httpx.Response, unit_name: str) -> None:
    if r.status_code != 200:
        raise RuntimeError(f"{r.request.url}: HTTP {r.status_code} {r.text[:200]}")
    data = r.json()
    tasks = data.get("tasks")
    if tasks is None or (data.get("total") and not tasks) or not all(unit_name in t["lead_units"] + t["co_units"] + t["internal_units"]
                            for t in tasks):
        raise RuntimeError(f"{r.request.url}: not the tasks of {unit_name}: {r.text[:200]}")


def measure(url: str, n_requests: int, budget: float) -> tuple[dict[str, list[float]], tuple]:
    username, password, token = make_user(url)
    picks, biggest = pick_units(url, n_requests)
    big_id, big_name, _ = biggest
    with Server(url) as server:
        timeout = httpx.Timeout(30.0)
        with httpx.Client(base_url=server.base, timeout=timeout, headers={"Accept": "text/html"},
                          follow_redirects=False, trust_env=False) as page_client, \
             httpx.Client(base_url=server.base, timeout=timeout, trust_env=False,
                          headers={"Authorization": f"Bearer {token}",
                                   "Accept": "application/json"}) as api_client:
            log_in(page_client, username, password)
            cases = {
                "unit page  GET /units/{id}": (page_client, check_html,
                                                [(f"/units/{i}", None, name) for i, name in picks]),
                "api  GET /api/tasks?unit=": (api_client, check_api,
                                              [("/api/tasks", {"unit": name}, name) for _, name in picks]),
                "unit page (biggest unit)": (page_client, check_html,
                                             [(f"/units/{big_id}", None, big_name)] * n_requests),
                "api ?unit= (biggest unit)": (api_client, check_api,
                                              [("/api/tasks", {"unit": big_name}, big_name)] * n_requests),
            }
            results = {}
            for label, (client, check, paths) in cases.items():
                results[label] = run_case(client, paths, budget, check)
    return results, biggest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLAlchemy URL or SQLite file [default: /tmp/duban-bench-N.db]")
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=300, help="timed requests per case")
    ap.add_argument("--budget", type=float, default=120.0, help="max seconds per case")
    ap.add_argument("--reuse", action="store_true", help="keep an already filled database")
    args = ap.parse_args(argv)
    url = db.resolve_url(args.db or f"/tmp/duban-bench-{args.tasks}.db")
    have = ledger.open_ledger(url, f"duban web bench — {{dialect}}, {args.tasks:,} tasks, {args.units:,} units, "
                                   f"{args.requests} requests per case over HTTP (uvicorn, 127.0.0.1)", args.reuse)
    if have is None:
        return 2
    if not have:
        secs = ledger.fill(url, args.tasks, args.units)
        print(f"\ngenerated {args.tasks:,} tasks in {secs:.1f} s ({args.tasks / secs:,.0f} tasks/s)")
    else:
        print(f"reusing {have:,} tasks")
    results, (big_id, big_name, big_n) = measure(url, args.requests, args.budget)
    print(f"biggest unit: {big_name} (id {big_id}), {big_n:,} task assignments")
    ledger.latency_table(results, "case")
    worst = max(ledger.p95(values) for values in results.values())
    print(f"worst p95 over HTTP: {worst:.1f} ms — goal < 100 ms: {'met' if worst < 100 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
