"""The admin makes an account for a teacher or a leader from their person record in one step."""
import email
import email.policy
import re
import socketserver
import threading

import pytest

from factories.core import person_in, school_in
from factories.structure import association_in, member_in
from oms.extensions import db
from oms.models import PasswordLink, Person, User


class _FakeSMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command is accepted, letters are kept on the server."""

    def handle(self):
        self.wfile.write(b"220 fake ESMTP\r\n")
        letter, in_data = [], False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    self.server.letters.append(b"".join(letter).decode("utf-8", "replace"))
                    letter, in_data = [], False
                    self.wfile.write(b"250 queued\r\n")
                else:
                    letter.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line[:4].upper()
            if command == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeSMTP)
    server.daemon_threads = True
    server.letters = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.server_address[1])
    monkeypatch.setitem(app.config, "MAIL_SENDER", "oms@example.org")
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def person(district):
    school = school_in(district.tenant, short_name="СШ № 3")
    person = person_in(district.tenant, last_name="Петрова", first_name="Ирина", middle_name="Олеговна",
                       school_id=school.id, email="Petrova@School.example")
    db.session.commit()
    return person


def test_admin_makes_a_teacher_account_from_a_person(make_browser, district, person):
    b = make_browser(district.admin.email)
    form = b.get(f"/{district.slug}/users/from-person/{person.id}").get_data(as_text=True)
    assert "Петрова Ирина Олеговна" in form and 'value="Petrova@School.example"' in form
    assert re.search(r'<option selected value="teacher">|<option value="teacher" selected', form)
    resp = b.post(f"/{district.slug}/users/from-person/{person.id}",
                  {"role": "teacher", "email": "Petrova@School.example"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    token = re.search(r"/set-password/([\w-]+)", page).group(1)
    assert "отправлена письмом" not in page  # no mail server: the admin hands the link over
    user = db.session.scalar(db.select(User).where(User.email == "petrova@school.example"))
    assert user.role == "teacher" and user.tenant_id == district.tenant.id
    assert user.full_name == "Петрова Ирина Олеговна"
    assert db.session.get(Person, person.id).user_id == user.id
    assert PasswordLink.find_valid(token).user_id == user.id
    # the person now has an account: the page offers a new link instead of a second account
    again = b.get(f"/{district.slug}/users/from-person/{person.id}").get_data(as_text=True)
    assert "Учётная запись уже есть" in again and "petrova@school.example" in again
    resp = b.post(f"/{district.slug}/users/from-person/{person.id}", {"role": "leader", "email": "x@example.org"})
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.email == "x@example.org")) == 0


def test_the_one_time_link_sets_the_password_and_the_new_teacher_lands_on_their_page(make_browser, client,
                                                                                       district, person):
    b = make_browser(district.admin.email)
    page = b.post(f"/{district.slug}/users/from-person/{person.id}",
                  {"role": "teacher", "email": "petrova@school.example"}).get_data(as_text=True)
    path = re.search(r"http://localhost(/set-password/[\w-]+)", page).group(1)
    from support import Browser, csrf_from

    form = client.get(path).get_data(as_text=True)
    resp = client.post(path, data={"password": "Nadezhnyi-parol-2026", "confirm": "Nadezhnyi-parol-2026",
                                   "csrf_token": csrf_from(form)})
    assert resp.status_code == 302
    assert client.get(path).status_code == 404  # used once
    teacher = Browser(client)
    resp = teacher.login("petrova@school.example", "Nadezhnyi-parol-2026")
    assert resp.headers["Location"] == f"/{district.slug}/me/"
    assert "Петрова Ирина Олеговна" in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_a_leader_is_proposed_the_leader_role(make_browser, district, person):
    body = association_in(district.tenant, name="ШМО учителей математики")
    member_in(district.tenant, body=body, person=person, role="leader")
    db.session.commit()
    page = make_browser(district.admin.email).get(f"/{district.slug}/users/from-person/{person.id}")
    html = page.get_data(as_text=True)
    assert "«ШМО учителей математики»" in html
    assert re.search(r'<option selected value="leader">|<option value="leader" selected', html)


@pytest.mark.parametrize("data, message", [
    ({"role": "teacher", "email": ""}, "Введите адрес электронной почты."),
    ({"role": "teacher", "email": "не-почта"}, "Неверный адрес электронной почты."),
    ({"role": "admin", "email": "new@example.org"}, "Выберите значение из списка."),
    ({"role": "methodist", "email": "new@example.org"}, "Выберите значение из списка."),
])
def test_bad_input_makes_no_account(make_browser, district, person, data, message):
    before = db.session.scalar(db.select(db.func.count(User.id)))
    resp = make_browser(district.admin.email).post(f"/{district.slug}/users/from-person/{person.id}", data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == before
    assert db.session.get(Person, person.id).user_id is None


def test_an_address_in_use_is_refused(make_browser, district, person):
    resp = make_browser(district.admin.email).post(f"/{district.slug}/users/from-person/{person.id}",
                                                   {"role": "teacher", "email": district.methodist.email.upper()})
    assert resp.status_code == 422 and "Пользователь с такой почтой уже есть." in resp.get_data(as_text=True)


@pytest.mark.parametrize("role", ["methodist", "leader", "teacher"])
def test_only_the_admin_makes_accounts(make_browser, district, person, role):
    b = make_browser(getattr(district, role).email)
    assert b.get(f"/{district.slug}/users/from-person/").status_code == 403
    assert b.get(f"/{district.slug}/users/from-person/{person.id}").status_code == 403
    assert b.post(f"/{district.slug}/users/from-person/{person.id}",
                  {"role": "leader", "email": "grab@example.org"}).status_code == 403
    assert db.session.get(Person, person.id).user_id is None


def test_the_people_list_finds_those_without_an_account(make_browser, district, person):
    person_in(district.tenant, last_name="Связанная", user_id=district.teacher.id)
    for i in range(35):
        person_in(district.tenant, last_name=f"Педагогова{i:02d}")
    db.session.commit()
    b = make_browser(district.admin.email)
    url = f"/{district.slug}/users/from-person/"
    first = b.get(url).get_data(as_text=True)
    assert "Связанная" not in first and "стр. 1 из 2" in first
    found = b.get(url + "?q=ПЕТРОВА").get_data(as_text=True)
    assert "Петрова Ирина Олеговна" in found and "Педагогова01" not in found
    linked = b.get(url + "?q=связанная&without=0").get_data(as_text=True)
    assert "Связанная" in linked and district.teacher.email in linked
    assert "Учётная запись для педагога" in b.get(f"/{district.slug}/users/").get_data(as_text=True)


def test_the_link_is_mailed_when_a_mail_server_is_configured(make_browser, district, person, smtp_server):
    resp = make_browser(district.admin.email).post(f"/{district.slug}/users/from-person/{person.id}",
                                                   {"role": "teacher", "email": "petrova@school.example"})
    page = resp.get_data(as_text=True)
    assert "Ссылка также будет отправлена письмом на petrova@school.example" in page
    link = re.search(r"http://localhost/set-password/[\w-]+", page).group(0)
    assert smtp_server.letters == []  # the request only queued it
    from oms import mail

    assert mail.send_pending() == (1, 0)
    assert mail.send_pending() == (0, 0)  # never twice
    assert len(smtp_server.letters) == 1
    letter = email.message_from_string(smtp_server.letters[0], policy=email.policy.default)
    assert letter["To"] == "petrova@school.example" and "задайте пароль" in letter["Subject"]
    assert link in letter.get_content() and "Петрова Ирина Олеговна" in letter.get_content()


def test_a_mail_failure_keeps_the_letter_in_the_outbox(make_browser, district, person, app, monkeypatch):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    resp = make_browser(district.admin.email).post(f"/{district.slug}/users/from-person/{person.id}",
                                                   {"role": "teacher", "email": "petrova@school.example"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "/set-password/" in page
    assert db.session.get(Person, person.id).user_id is not None
    # SMTP is down: the letter waits in the outbox with the error, to be retried
    from oms import mail
    from oms.models import OutboxMail

    assert mail.send_pending() == (0, 1)
    row = db.session.scalar(db.select(OutboxMail))
    assert row.sent_at is None and row.attempts == 1 and row.last_error


def test_a_double_click_makes_one_account(make_browser, district, person):
    b = make_browser(district.admin.email)
    form = b.get(f"/{district.slug}/users/from-person/{person.id}").get_data(as_text=True)
    token = re.search(r'name="form_token"[^>]*value="([^"]+)"', form).group(1)
    data = {"role": "teacher", "email": "petrova@school.example", "form_token": token}
    assert b.post(f"/{district.slug}/users/from-person/{person.id}", data).status_code == 200
    again = b.post(f"/{district.slug}/users/from-person/{person.id}", data)
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/users/from-person/{person.id}")
    assert db.session.scalar(db.select(db.func.count(User.id)).where(User.email == "petrova@school.example")) == 1


def test_person_page_offers_the_account_to_the_admin_only(make_browser, district):
    from factories.core import person_in
    from oms.extensions import db

    person = person_in(district.tenant)
    db.session.commit()
    url = f"/{district.slug}/people/{person.id}"
    admin_html = make_browser(district.admin.email).get(url, follow_redirects=True).get_data(as_text=True)
    assert f"/{district.slug}/users/from-person/{person.id}" in admin_html
    methodist_html = make_browser(district.methodist.email).get(url, follow_redirects=True).get_data(as_text=True)
    assert "from-person" not in methodist_html
