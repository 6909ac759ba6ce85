"""Settings of one running app, kept on `app.state.config`.

Time is injected (`clock`), never read deep inside views: session expiry and
"overdue" badges must be testable without waiting or patching the system clock."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from typing import Callable

# Offices work on Beijing time; China has no daylight saving, a fixed offset is exact.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
SECRET_ENV = "DUBAN_SECRET_KEY"
SESSION_HOURS = 8  # one working day: a forgotten browser does not stay logged in for weeks
FORM_LIMIT = 1024 * 1024  # bodies that are not file uploads (forms, JSON) stay small


def size_label(n: int) -> str:
    """20 MB, 1.5 MB, 256 KB: a limit as people read it."""
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if abs(mb - round(mb)) < 0.05 else f"{mb:.1f} MB"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def default_upload_limit() -> int:
    """The same limit the readers enforce (DUBAN_MAX_FILE_MB, else 20 MB)."""
    from duban.ingest.limits import max_bytes

    return max_bytes("upload")


@dataclass
class WebConfig:
    db_url: str
    secret_key: str = field(default_factory=lambda: os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32))
    session_max_age: int = SESSION_HOURS * 3600  # seconds
    secure_cookies: bool = False  # set behind HTTPS: the cookie is then never sent in clear
    max_upload_bytes: int = field(default_factory=default_upload_limit)
    clock: Callable[[], dt.datetime] = _utcnow
    page_size: int = 50
    # A fixed "today" for deadlines and supervision (the demo, training copies),
    # shown on every page; sessions and timestamps still run on the real clock.
    as_of: dt.date | None = None

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        """Today's date in China, for deadlines (as_of when set)."""
        return self.as_of or self.clock().astimezone(CHINA_TZ).date()
