"""E-mail through a real SMTP server (aiosmtpd on 127.0.0.1) and in-app rows;
an unreachable server only delays the mail to the next run (outbox)."""

import datetime as dt
import email
import email.policy
import socket

import pytest
from sqlalchemy import select

from duban.supervise import flows, notify
from duban.supervise.models import Notification
from duban.supervise.settings import Smtp

from .conftest import at

D = dt.date
aiosmtpd = pytest.importorskip("aiosmtpd", reason="aiosmtpd (test extra) is not installed")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def set_emails(lg, pairs):
    with lg.sf() as s, s.begin():
        for name, addr in pairs.items():
            notify.set_email(s.merge(lg.person(name)), addr, session=s)


def test_letters_are_mailed_with_the_docx_attached(ledger, smtp_server, tmp_path):
    controller, inbox = smtp_server
    ledger.settings.smtp = Smtp(host="127.0.0.1", port=controller.port, sender="duban@example.org")
    set_emails(ledger, {"联络员丁": "ding@example.org", "联络员甲": "jia@example.org"})
    result = flows.run(session_factory=ledger.sf, today=D(2025, 4, 28), settings=ledger.settings,
                       out_dir=tmp_path, now=at(D(2025, 4, 28)))
    assert len(result.issued) == 4 and result.emailed == 2 and result.email_failed == 0
    got = {tuple(rcpt): msg for rcpt, msg in inbox.messages}
    assert set(got) == {("ding@example.org",), ("jia@example.org",)}
    msg = got[("ding@example.org",)]
    assert "提示函" in msg["Subject"] and "督提〔2025〕" in msg["Subject"]
    parts = [p for p in msg.walk() if p.get_filename()]
    assert parts and parts[0].get_filename().endswith("市丁局.docx")
    assert parts[0].get_payload(decode=True)[:2] == b"PK"
    with ledger.sf() as s:
        rows = s.scalars(select(Notification)).all()
        assert len(rows) == 4  # one liaison per unit, in-app for all
        assert sum(r.emailed_at is not None for r in rows) == 2
        unread = notify.unread(ledger.people["联络员乙"], session=s)
        assert len(unread) == 1 and "市乙局" in unread[0].body


def test_unreachable_server_keeps_the_mail_owed(ledger, smtp_server, tmp_path):
    controller, inbox = smtp_server
    set_emails(ledger, {"联络员丁": "ding@example.org"})
    ledger.settings.smtp = Smtp(host="127.0.0.1", port=free_port(), timeout=2)  # nobody listens
    result = flows.run(session_factory=ledger.sf, today=D(2025, 4, 28), settings=ledger.settings,
                       out_dir=tmp_path, now=at(D(2025, 4, 28)))
    assert result.email_failed == 1 and inbox.messages == []
    ledger.settings.smtp = Smtp(host="127.0.0.1", port=controller.port)
    again = flows.run(session_factory=ledger.sf, today=D(2025, 4, 28), settings=ledger.settings,
                      out_dir=tmp_path, now=at(D(2025, 4, 28)))
    assert again.issued == [] and again.emailed == 1
    assert [r for r, _ in inbox.messages] == [["ding@example.org"]]


def test_bad_address_is_refused(ledger):
    from duban.ledger.fields import InvalidValue

    with pytest.raises(InvalidValue, match="邮箱"):
        set_emails(ledger, {"联络员甲": "not an address"})
