"""Mail, when the instance has a server: MAIL_SERVER (and MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD,
MAIL_USE_TLS, MAIL_USE_SSL, MAIL_SENDER) in the environment. Without one nothing is sent and the
admin hands links over themselves; a failed send never breaks the request that asked for it.
"""
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

TIMEOUT_SECONDS = 10


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text letter; True when the server accepted it."""
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER") or not to:
        return False
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
        return True
    except (OSError, smtplib.SMTPException):
        current_app.logger.warning("mail to %s not sent", to, exc_info=True)
        return False
