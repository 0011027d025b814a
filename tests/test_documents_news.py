"""«Новинки»: the service publishes to an audience (positions, subjects, schools); the addressees see them in
«Моё» with unread marks; the weekly digest is built for them and sent only when SMTP is configured."""
from datetime import date

import pytest

from factories.core import person_in, school_in
from factories.documents import document_in, notice_in
from oms.clock import pinned
from oms.extensions import db
from oms.models import Notice, NoticeRead
from oms.models.outbox import OutboxMail
from oms.services import news
from support import page_and_queries


@pytest.fixture
def d(district):
    district.school = school_in(district.tenant, short_name="СОШ № 3")
    district.other_school = school_in(district.tenant, short_name="СОШ № 5")
    district.math = person_in(district.tenant, user_id=district.teacher.id, subjects="Математика; Физика",
                              school_id=district.school.id, last_name="Орлова")
    district.russian = person_in(district.tenant, user_id=district.leader.id, subjects="Русский язык",
                                 position="заместитель директора по УВР", school_id=district.other_school.id)
    db.session.commit()
    return district


def test_a_notice_reaches_its_audience_in_my_page_with_an_unread_mark(app, make_browser, d):
    material = document_in(d.tenant, title="Рекомендации по ГИА по математике", collection="methodical",
                           visibility="district")
    m = make_browser(d.methodist.email)
    with pinned(app, date(2025, 10, 6)):
        form = m.get(f"/{d.slug}/documents/news/new?document_id={material.id}").get_data(as_text=True)
        assert "Рекомендации по ГИА по математике" in form
        resp = m.post(f"/{d.slug}/documents/news/new", {"title": "Новые рекомендации по ГИА", "text": "Изучите.",
                                                        "document_id": material.id, "subjects": ["Математика"],
                                                        "school_ids": [d.school.id]})
        assert resp.status_code == 302
        notice = db.session.scalar(db.select(Notice))
        assert notice.subjects == ["Математика"] and notice.school_ids == [d.school.id]

        teacher = make_browser(d.teacher.email)
        page = teacher.get(f"/{d.slug}/me/").get_data(as_text=True)
        mine = page.split('id="my-news"')[1].split("</section>")[0]
        assert "Новые рекомендации по ГИА" in mine and "новое" in mine
        opened = teacher.get(f"/{d.slug}/documents/news/{notice.id}/").get_data(as_text=True)
        assert "Изучите." in opened and "Рекомендации по ГИА по математике" in opened
        page = teacher.get(f"/{d.slug}/me/").get_data(as_text=True)
        mine = page.split('id="my-news"')[1].split("</section>")[0]
        assert "Новые рекомендации по ГИА" in mine and "новое" not in mine
        assert db.session.scalar(db.select(db.func.count(NoticeRead.id))) == 1

        other = make_browser(d.leader.email)  # Russian, another school: not addressed
        assert "Новые рекомендации по ГИА" not in other.get(f"/{d.slug}/me/").get_data(as_text=True)
        assert other.get(f"/{d.slug}/documents/news/{notice.id}/").status_code == 404
        listing = m.get(f"/{d.slug}/documents/news/").get_data(as_text=True)
        assert "Новые рекомендации по ГИА" in listing and 'data-label="Прочитали">1</td>' in listing


def test_audience_rules(d):
    assert news.addressed(Notice(positions=[], subjects=[], school_ids=[]), None)
    by_position = Notice(positions=["Заместитель директора по УВР"], subjects=[], school_ids=[])
    assert news.addressed(by_position, d.russian) and not news.addressed(by_position, d.math)
    by_subject_and_school = Notice(positions=[], subjects=["физика"], school_ids=[d.other_school.id])
    assert not news.addressed(by_subject_and_school, d.math)  # the subject matches, the school does not
    assert news.addressed(Notice(positions=[], subjects=["физика"], school_ids=[d.school.id]), d.math)
    assert not news.addressed(by_position, None)


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Заполните это поле."),
    ({"title": "Новость", "subjects": ["Астрология"]}, "Такого значения нет в списке"),
    ({"title": "Новость", "school_ids": ["999999"]}, "Такого значения нет в списке"),
])
def test_bad_notices_are_refused(make_browser, d, data, message):
    b = make_browser(d.methodist.email)
    resp = b.post(f"/{d.slug}/documents/news/new", data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0


@pytest.mark.parametrize("role", ["leader", "teacher"])
def test_only_the_service_publishes(make_browser, d, role):
    b = make_browser(getattr(d, role).email)
    assert b.get(f"/{d.slug}/documents/news/new").status_code == 403
    assert b.post(f"/{d.slug}/documents/news/new", {"title": "Новость"}).status_code == 403
    notice = notice_in(d.tenant)
    assert b.post(f"/{d.slug}/documents/news/{notice.id}/delete").status_code == 403


def test_weekly_digest_goes_to_addressees_with_unread_notices_only_when_smtp_is_set(app, d, monkeypatch):
    read = notice_in(d.tenant, title="Уже прочитанное", published_on=date(2025, 10, 3))
    notice_in(d.tenant, title="Семинар для учителей математики", subjects=["Математика"],
              published_on=date(2025, 10, 4))
    notice_in(d.tenant, title="Старая новость", published_on=date(2025, 9, 1))
    db.session.add(NoticeRead(tenant_id=d.tenant.id, notice_id=read.id, user_id=d.teacher.id))
    db.session.commit()
    letters = {x.to: x for x in news.digest_letters(d.tenant, date(2025, 10, 6), "https://oms.example")}
    teacher = letters[d.teacher.email]
    assert "Семинар для учителей математики" in teacher.body and "Уже прочитанное" not in teacher.body
    assert "Старая новость" not in teacher.body
    assert f"https://oms.example/{d.slug}/documents/news/" in teacher.body
    assert "Семинар для учителей математики" not in letters[d.leader.email].body  # not a math teacher

    sent = []
    monkeypatch.setattr("oms.mail.deliver", lambda to, subject, body: sent.append(to))  # accepted
    with pinned(app, date(2025, 10, 6)):
        app.config["MAIL_SERVER"] = ""
        out = app.test_cli_runner().invoke(args=["digest"])
        assert "nothing is sent" in out.output and sent == []
        app.config["MAIL_SERVER"] = "smtp.example"
        try:
            out = app.test_cli_runner().invoke(args=["digest"])
        finally:
            app.config["MAIL_SERVER"] = ""
    assert d.teacher.email in sent and "sent: " in out.output
    assert db.session.scalar(db.select(OutboxMail.sent_at).where(OutboxMail.to == d.teacher.email)) is not None


def _digest(app, day):
    with pinned(app, day):
        app.config["MAIL_SERVER"] = "smtp.example"
        try:
            return app.test_cli_runner().invoke(args=["digest"]).output
        finally:
            app.config["MAIL_SERVER"] = ""


def test_the_digest_goes_once_a_week_however_often_it_runs(app, d, monkeypatch):
    notice_in(d.tenant, title="Семинар для учителей", published_on=date(2025, 10, 4))
    db.session.commit()
    sent = []
    monkeypatch.setattr("oms.mail.deliver", lambda to, subject, body: sent.append(to))
    _digest(app, date(2025, 10, 6))  # a Monday
    first = sent.count(d.teacher.email)
    out = _digest(app, date(2025, 10, 10))  # the Friday of the same ISO week: the notice is still unread
    assert first == 1 and sent.count(d.teacher.email) == 1 and "0 queued" in out
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)
                             .where(OutboxMail.to == d.teacher.email)) == 1
    notice_in(d.tenant, title="Новый сборник заданий", published_on=date(2025, 10, 11))
    db.session.commit()
    _digest(app, date(2025, 10, 13))  # the next week: its own letter
    assert sent.count(d.teacher.email) == 2


def test_the_material_is_found_with_the_picker_and_only_an_open_one_of_this_district(
        app, make_browser, d, make_tenant, count_queries):
    """The form lists no documents (it showed the 100 newest): the picker finds an open current one however
    old; a service document or another district's is refused; the form does not grow with the bank."""
    old = document_in(d.tenant, title="Положение о методической службе", visibility="district")
    service = document_in(d.tenant, title="Служебная записка о методической службе", visibility="service")
    other = make_tenant()
    foreign = document_in(other, title="Положение чужого района", visibility="district")
    db.session.commit()
    m = make_browser(d.methodist.email)

    def form_page():
        return page_and_queries(m, f"/{d.slug}/documents/news/new", count_queries)

    body, queries = form_page()
    assert "Положение о методической службе" not in body and f"/{d.slug}/pick/document" in body
    for n in range(40):
        document_in(d.tenant, title=f"Рекомендации № {n}", visibility="district")
    db.session.commit()
    more, more_queries = form_page()
    assert more_queries == queries and len(more) < len(body) + 200 and "Рекомендации № 3" not in more
    found = m.get(f"/{d.slug}/pick/document", query_string={"pick_q": "методической службе"},
                  headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'data-id="{old.id}"' in found and f'data-id="{service.id}"' not in found
    # «announce» from a service document's page: nothing is chosen, the title is not taken from it
    prefilled = m.get(f"/{d.slug}/documents/news/new?document_id={service.id}").get_data(as_text=True)
    assert "Служебная записка" not in prefilled

    for wrong in (service.id, foreign.id):
        resp = m.post(f"/{d.slug}/documents/news/new", {"title": "Новость", "document_id": wrong})
        assert resp.status_code == 422 and "найдите его заново" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0
    assert m.post(f"/{d.slug}/documents/news/new", {"title": "Новость", "document_id": old.id}).status_code == 302
    assert db.session.scalar(db.select(Notice.document_id)) == old.id
