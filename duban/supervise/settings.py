"""Settings of the supervision loop, from the environment (a deployment sets
them once; tests pass their own). Everything has a working default.

    DUBAN_DATA_DIR           where evidence and letters are kept [./duban-data]
    DUBAN_EVIDENCE_MAX_MB    size limit of one evidence file [20]
    DUBAN_OFFICE             issuing office (落款) [市优化营商环境工作领导小组办公室]
    DUBAN_ISSUER             发文机关标志 on letters [same as DUBAN_OFFICE]
    DUBAN_LETTER_TEMPLATE    a .docx letter template [the shipped templates/letter.docx]
    DUBAN_SMTP_HOST, DUBAN_SMTP_PORT [25], DUBAN_SMTP_FROM, DUBAN_SMTP_USER,
    DUBAN_SMTP_PASSWORD, DUBAN_SMTP_STARTTLS [0]   e-mail; no host means in-app only
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from duban.errors import DubanError

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATE = TEMPLATES_DIR / "letter.docx"
DEFAULT_OFFICE = "市优化营商环境工作领导小组办公室"
MB = 1024 * 1024


@dataclass
class Smtp:
    host: str
    port: int = 25
    sender: str = "duban@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 20.0


@dataclass
class Settings:
    data_dir: Path = Path("duban-data")
    evidence_max_bytes: int = 20 * MB
    office: str = DEFAULT_OFFICE
    issuer: str = ""
    template: Path = DEFAULT_TEMPLATE
    number_prefix: dict = field(default_factory=lambda: {"reminder": "督提", "supervision": "督办"})
    smtp: Smtp | None = None
    # Tasks listed in the body of one letter; the full list is in the database.
    letter_list_max: int = 100

    @property
    def issuer_name(self) -> str:
        return self.issuer or self.office

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        smtp = None
        if env.get("DUBAN_SMTP_HOST"):
            smtp = Smtp(host=env["DUBAN_SMTP_HOST"], port=_int(env, "DUBAN_SMTP_PORT", 25),
                        sender=env.get("DUBAN_SMTP_FROM") or "duban@localhost",
                        user=env.get("DUBAN_SMTP_USER") or None,
                        password=env.get("DUBAN_SMTP_PASSWORD") or None,
                        starttls=env.get("DUBAN_SMTP_STARTTLS", "0") in ("1", "true", "yes"))
        mb = _float(env, "DUBAN_EVIDENCE_MAX_MB", 20.0)
        return cls(data_dir=Path(env.get("DUBAN_DATA_DIR") or "duban-data").expanduser(),
                   evidence_max_bytes=int(mb * MB),
                   office=env.get("DUBAN_OFFICE") or DEFAULT_OFFICE,
                   issuer=env.get("DUBAN_ISSUER") or "",
                   template=Path(env.get("DUBAN_LETTER_TEMPLATE") or DEFAULT_TEMPLATE),
                   smtp=smtp)


def _int(env, name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise DubanError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def _float(env, name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise DubanError(f"{name} must be a positive number, not {raw!r}")
    return value
