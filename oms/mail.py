"""Mail, through one outbox: every letter of the app is queued (oms.models.outbox.OutboxMail) and
`flask --app wsgi send-mail` sends what is unsent — run it from cron every minute or two.

So no request waits on SMTP, a letter waits in the outbox while SMTP is down (it is retried, up to
MAX_ATTEMPTS), and nobody gets the same letter twice: a letter is marked sent in its own transaction right
after the server accepts it, and a letter queued with a `key` (say «digest:<person>:<day>») is queued once.

The server: MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS, MAIL_USE_SSL,
MAIL_SENDER) in the environment. Without one nothing is queued: the admin hands links over themselves.
"""
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from .extensions import db

TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 10


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def queue(to: str, subject: str, body: str, key: str | None = None, tenant_id: int | None = None) -> bool:
    """Put a letter in the outbox (the caller commits); False when there is no server, no address, or a
    letter with this key is already queued."""
    from .models.outbox import OutboxMail

    if not configured() or not to:
        return False
    if key is not None and db.session.scalar(select(OutboxMail.id).where(OutboxMail.key == key)):
        return False
    db.session.add(OutboxMail(to=to, subject=subject[:300], body=body, key=key, tenant_id=tenant_id))
    db.session.flush()
    return True


send = queue  # the name callers know: «send» means «hand to the outbox»


def deliver(to: str, subject: str, body: str) -> str | None:
    """Hand one letter to the SMTP server now; None when accepted, else the error."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg.get("MAIL_SENDER") or f"no-reply@{cfg['MAIL_SERVER']}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    port = int(cfg.get("MAIL_PORT") or (465 if cfg.get("MAIL_USE_SSL") else 25))
    try:
        if cfg.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], port, timeout=TIMEOUT_SECONDS,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], port, timeout=TIMEOUT_SECONDS)
        with smtp:
            if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
        return None
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("mail to %s not sent", to, exc_info=True)
        return str(error) or type(error).__name__


def send_pending(limit: int = 200) -> tuple[int, int]:
    """Send the unsent letters, oldest first: (sent, failed). Each letter is claimed and marked in its own
    transaction (FOR UPDATE SKIP LOCKED on PostgreSQL), so two senders at once never send one letter twice."""
    from .models.base import utcnow
    from .models.outbox import OutboxMail

    if not configured():
        return 0, 0
    sent = failed = 0
    tried: list[int] = []  # a letter that failed waits for the next run
    for _ in range(limit):
        row = db.session.scalar(
            select(OutboxMail).where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS,
                                     OutboxMail.id.not_in(tried))
            .order_by(OutboxMail.attempts, OutboxMail.id).limit(1).with_for_update(skip_locked=True))
        if row is None:
            break
        tried.append(row.id)
        error = deliver(row.to, row.subject, row.body)
        row.attempts += 1
        if error is None:
            row.sent_at, row.last_error = utcnow(), ""
            sent += 1
        else:
            row.last_error = error[:500]
            failed += 1
        db.session.commit()
        if error is not None and failed >= 3:
            break  # the server is down: the rest waits for the next run
    return sent, failed
