"""Daily supervision work for the web server.

`run_due(today)` does what `duban supervise run --today today` does: makes the
cycles that have begun, issues the letters due (one transaction per unit, never
twice for the same miss) and sends the e-mails owed. It is safe to call any
number of times a day; the second call on a day issues nothing.

Mount in `duban serve` (duban/web/app.py) with:

    from duban.supervise.scheduled import start_daily
    start_daily(app)          # a background thread: runs at start and after 07:00 China time daily

or call `run_due(...)` from any scheduler (cron: `duban supervise run`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from duban.supervise import flows
from duban.supervise.settings import Settings

log = logging.getLogger(__name__)
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
RUN_AT = dt.time(7, 0)


def run_due(today: dt.date, *, session_factory: sessionmaker[Session],
            settings: Settings | None = None, out_dir: Path | None = None) -> flows.RunResult:
    """Issue what is due as of `today` (see flows.run)."""
    result = flows.run(session_factory=session_factory, today=today,
                       settings=settings or Settings.from_env(), out_dir=out_dir,
                       actor="scheduler")
    for issued in result.issued:
        log.info("issued %s", issued.line())
    return result


def start_daily(app, *, clock=None, poll_seconds: float = 600.0) -> threading.Thread:
    """Run run_due() once a day in a daemon thread of the web app. `clock`
    returns an aware datetime (the app's config.now by default)."""
    cfg = app.state.config
    clock = clock or cfg.now
    stop = threading.Event()
    app.state.supervise_stop = stop

    def loop() -> None:
        last: dt.date | None = None
        while not stop.is_set():
            now = clock().astimezone(CHINA_TZ)
            day = cfg.as_of or now.date()  # a pinned business date (demo) runs once
            if day != last and now.time() >= RUN_AT:
                try:
                    run_due(day, session_factory=app.state.session_factory)
                    last = day
                except Exception:  # logged; tried again at the next poll
                    log.exception("daily supervision run failed")
            stop.wait(poll_seconds)

    thread = threading.Thread(target=loop, name="duban-supervise-daily", daemon=True)
    thread.start()
    return thread
