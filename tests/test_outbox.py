"""All mail through one outbox: queued by requests, sent by `flask send-mail`, kept while SMTP is down,
never sent twice; `flask remind` queues one daily digest per person."""
import email
import email.policy
from datetime import date, datetime

from test_person_accounts import smtp_server  # noqa: F401  (the fixture)

from factories.core import person_in
from factories.events import event_in
from factories.events import registration_in
from oms import mail
from oms.extensions import db
from oms.models import OutboxMail


def test_nothing_is_queued_without_a_mail_server(app):
    assert mail.queue("a@example.org", "Тема", "Текст") is False
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_a_keyed_letter_is_queued_once_and_the_commands_send_it(app, district, smtp_server):  # noqa: F811
    assert mail.queue("a@example.org", "Тема", "Текст", key="k1") is True
    assert mail.queue("a@example.org", "Тема", "Текст", key="k1") is False
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "sent: 1" in result.output and len(smtp_server.letters) == 1
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "sent: 0" in result.output and len(smtp_server.letters) == 1


def test_remind_queues_one_digest_a_day(app, district, smtp_server):  # noqa: F811
    from oms.services.reminders import remind

    t = district.tenant
    person = person_in(t, last_name="Напоминаемая", email="n@example.org")
    registration_in(t, event=event_in(t, title="Семинар завтра", starts_at=datetime(2025, 11, 12, 10),
                                      ends_at=datetime(2025, 11, 12, 12)), person=person)
    db.session.commit()
    assert remind(date(2025, 11, 11)) == 1
    assert remind(date(2025, 11, 11)) == 0  # the same day: nothing again
    assert mail.send_pending() == (1, 0)
    letter = email.message_from_string(smtp_server.letters[0], policy=email.policy.default)
    assert letter["To"] == "n@example.org" and "12.11.2025 10:00 — Семинар: Семинар завтра" in letter.get_content()
