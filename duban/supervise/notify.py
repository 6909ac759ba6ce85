"""Notifications: in-app rows, and e-mail through SMTP as an outbox.

A letter's notification rows are written in the letter's own transaction,
with the address to mail (if the person has one) and emailed_at NULL. After
the transaction commits, deliver() sends what is owed and stamps emailed_at;
a crash or a mail server that is down only delays the e-mail to the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from duban.ledger.models import Person
from duban.supervise.evidence import MEDIA_TYPES
from duban.supervise.models import Contact, Letter, Notification
from duban.supervise.settings import Settings, Smtp

log = logging.getLogger(__name__)
MAX_TRIES_PER_RUN = 200


def email_of(person_ids, *, session: Session) -> dict[int, str]:
    ids = list(person_ids)
    if not ids:
        return {}
    return dict(session.execute(select(Contact.person_id, Contact.email)
                                .where(Contact.person_id.in_(ids))).all())


def set_email(person: Person, email: str, *, session: Session) -> None:
    from duban.ledger.fields import InvalidValue

    email = (email or "").strip()
    if email and ("@" not in email or any(c.isspace() for c in email)):
        raise InvalidValue(f"邮箱地址「{email}」无效")
    row = session.get(Contact, person.id)
    if not email:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(Contact(person_id=person.id, email=email))
    else:
        row.email = email


def add(person_ids, *, session: Session, title: str, body: str, letter_id: int | None,
        now: dt.datetime) -> int:
    """In-app notifications (with the e-mail owed, when the person has an address)."""
    ids = sorted(set(person_ids))
    emails = email_of(ids, session=session)
    for pid in ids:
        session.add(Notification(person_id=pid, letter_id=letter_id, title=title[:255], body=body,
                                 created_at=now, email=emails.get(pid)))
    return len(ids)


def unread(person_id: int, *, session: Session, limit: int = 50) -> list[Notification]:
    return list(session.scalars(select(Notification).where(
        Notification.person_id == person_id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc()).limit(limit)))


def mark_read(notification_id: int, person_id: int, *, session: Session, now: dt.datetime) -> None:
    row = session.get(Notification, notification_id)
    if row is not None and row.person_id == person_id and row.read_at is None:
        row.read_at = now


def deliver(sf: sessionmaker[Session], settings: Settings, *, now: dt.datetime) -> tuple[int, int]:
    """Send the e-mails owed. Returns (sent, failed); failures stay owed."""
    if settings.smtp is None:
        return 0, 0
    with sf() as s:
        owed = list(s.execute(select(Notification.id).where(
            Notification.emailed_at.is_(None), Notification.email.is_not(None))
            .order_by(Notification.id).limit(MAX_TRIES_PER_RUN)).scalars())
    sent = failed = 0
    for nid in owed:
        with sf() as s, s.begin():
            row = s.get(Notification, nid)
            if row is None or row.emailed_at is not None:
                continue
            letter = s.get(Letter, row.letter_id) if row.letter_id else None
            try:
                send(settings.smtp, to=row.email, subject=row.title, body=row.body,
                     attachment=_attachment(letter, settings))
            except (OSError, smtplib.SMTPException) as e:
                row.email_error = f"{type(e).__name__}: {e}"[:500]
                failed += 1
                log.warning("e-mail to %s failed: %s", row.email, e)
                continue
            row.emailed_at, row.email_error = now, None
            sent += 1
    return sent, failed


def _attachment(letter: Letter | None, settings: Settings):
    if letter is None:
        return None
    path = Path(settings.data_dir) / letter.path
    if not path.is_file():
        return None
    return path.name, path.read_bytes()


def send(smtp: Smtp, *, to: str, subject: str, body: str, attachment=None) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = smtp.sender, to, subject
    msg["Date"], msg["Message-ID"] = formatdate(localtime=True), make_msgid(domain="duban")
    msg.set_content(body)
    if attachment is not None:
        name, data = attachment
        maintype, subtype = MEDIA_TYPES["docx"].split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(msg)
