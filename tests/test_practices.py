"""The practice bank: a teacher proposes, the methodist assigns experts, an expert scores, the council decides,
the admin publishes; every role's rights and refusals; the catalogue, the file, the certificate, the register."""
import io
from datetime import date

import pytest

from factories.core import person_in, school_in
from factories.development import area_in, deficit_in
from factories.practices import practice_in
from factories.structure import association_in, council_in, meeting_in, member_in
from oms.extensions import db
from oms.models import Body, Decision, Practice, PracticeFile, PracticeReview, RouteStep
from oms.services.sample_files import docx_bytes

DOCX = docx_bytes("Ёлка знаний", ["Описание практики"])


class World:
    """A district: a teacher (author) and a colleague at school A, a leader of the teacher's association,
    an expert at school B, a council with a meeting."""

    def __init__(self, district):
        t = district.tenant
        self.district, self.slug = district, district.slug
        self.school_a, self.school_b = school_in(t, name="МБОУ СОШ № 1"), school_in(t, name="МБОУ СОШ № 2")
        self.teacher = person_in(t, last_name="Смирнова", first_name="Ольга", middle_name="Ивановна",
                                 school_id=self.school_a.id, user_id=district.teacher.id)
        self.colleague = person_in(t, last_name="Кузнецова", first_name="Мария", middle_name="Петровна",
                                   school_id=self.school_a.id)
        self.expert = person_in(t, last_name="Орлова", first_name="Елена", middle_name="Викторовна",
                                school_id=self.school_b.id, user_id=district.expert_user.id)
        self.leader = person_in(t, last_name="Белова", first_name="Анна", middle_name="Сергеевна",
                                school_id=self.school_b.id, user_id=district.leader.id)
        body = association_in(t, name="РМО учителей начальных классов")
        member_in(t, body=body, person=self.leader, role="leader")
        member_in(t, body=body, person=self.teacher)
        self.council = council_in(t)
        self.meeting = meeting_in(t, body=self.council, number="2", held_on=date(2026, 2, 12))
        self.area = area_in(t, name="Формирование функциональной грамотности")
        db.session.commit()

    def url(self, tail=""):
        return f"/{self.slug}/practices/{tail}"


@pytest.fixture
def world(district, make_user):
    district.expert_user = make_user(district.tenant, role="teacher", email=f"expert@{district.slug}.test")
    district.other_teacher = make_user(district.tenant, role="teacher", email=f"other@{district.slug}.test")
    return World(district)


def _form(w, **over):
    data = {"title": "Ёлка знаний: проектная задача в начальной школе", "author_ids": [str(w.teacher.id)],
            "school_id": str(w.school_a.id), "subjects": "Математика; Окружающий мир", "level": "primary",
            "kind": "development", "source": "association", "annotation": "Как провести проектную задачу.",
            "keywords": "проект, функциональная грамотность", "area_ids": [str(w.area.id)],
            "links": "https://example.org/elka", "consent": "y"}
    data.update(over)
    return data


def _propose(b, w, file=None, **over):
    data = _form(w, **over)
    if file is not None:
        data["new_files"] = file
    return b.post(w.url("new"), data=data, content_type="multipart/form-data")


def _move(b, w, practice, action, comment=""):
    return b.post(w.url(f"{practice.id}/move/{action}"), data={"comment": comment})


def _status(practice_id):
    db.session.expire_all()
    return db.session.get(Practice, practice_id).status


def _practice():
    return db.session.scalars(db.select(Practice).order_by(Practice.id.desc())).first()


def test_the_whole_workflow_from_proposal_to_the_catalogue(make_browser, world):
    w, d = world, world.district
    teacher = make_browser(d.teacher.email)
    resp = _propose(teacher, w, file=(io.BytesIO(DOCX), "Ёлка знаний.docx"))
    assert resp.status_code == 302
    practice = _practice()
    assert practice.status == "draft" and practice.created_by_id == d.teacher.id
    assert [f.filename for f in db.session.scalars(db.select(PracticeFile))] == ["Ёлка знаний.docx"]
    assert _move(teacher, w, practice, "submit").status_code == 302
    assert _status(practice.id) == "proposed"

    methodist = make_browser(d.methodist.email)
    resp = methodist.post(w.url(f"{practice.id}/experts"), data={"experts": [str(w.expert.id)]})
    assert resp.status_code == 302 and _status(practice.id) == "review"

    expert = make_browser(d.expert_user.email)
    assert "Оценить" in expert.get(w.url("reviews/")).get_data(as_text=True)
    review = db.session.scalar(db.select(PracticeReview))
    page = expert.get(w.url(f"{practice.id}/reviews/{review.id}"))
    assert page.status_code == 200 and "Актуальность" in page.get_data(as_text=True)
    from oms.models import RubricCriterion
    criteria = db.session.scalars(db.select(RubricCriterion).order_by(RubricCriterion.position)).all()
    assert [c.name for c in criteria][:2] == ["Актуальность", "Новизна"]
    scores = {f"c{c.id}": "4" for c in criteria}
    resp = expert.post(w.url(f"{practice.id}/reviews/{review.id}"),
                       data={**scores, "conclusion": "recommend", "comment": "Воспроизводима"})
    assert resp.status_code == 302
    from oms.models import ReviewScore
    assert db.session.scalar(db.select(db.func.sum(ReviewScore.points))) == 20
    printed = expert.get(w.url(f"{practice.id}/reviews/{review.id}/print")).get_data(as_text=True)
    assert "Экспертное заключение" in printed and "Орлова Елена Викторовна" in printed

    assert _move(methodist, w, practice, "recommend").status_code == 302
    assert _status(practice.id) == "recommended"
    admin = make_browser(d.admin.email)
    # publishing before the council's decision is refused, with the reason
    refused = admin.client.post(w.url(f"{practice.id}/move/publish"), data={"csrf_token": admin.token},
                                follow_redirects=True).get_data(as_text=True)
    assert "Опубликовать практику можно только по решению совета" in refused
    assert _status(practice.id) == "recommended"
    resp = methodist.post(w.url(f"{practice.id}/council"),
                          data={"meeting_id": str(w.meeting.id), "text": "Одобрить практику и опубликовать."})
    assert resp.status_code == 302 and _status(practice.id) == "council"
    decision = db.session.scalar(db.select(Decision))
    assert decision.meeting_id == w.meeting.id and _practice().decision_id == decision.id
    # the methodist manages but does not publish
    _move(methodist, w, practice, "publish")
    assert _status(practice.id) == "council"
    assert _move(admin, w, practice, "publish").status_code == 302
    assert _status(practice.id) == "published"

    card = make_browser(d.other_teacher.email).get(w.url(f"{practice.id}/")).get_data(as_text=True)
    assert "Опубликована" in card and "Ёлка знаний.docx" in card
    history = make_browser(d.teacher.email).get(w.url(f"{practice.id}/")).get_data(as_text=True)
    assert history.count(d.methodist.full_name) >= 2 and "Одобрить практику" in history
    found = make_browser(d.other_teacher.email).get(w.url("?q=елка")).get_data(as_text=True)
    assert "Ёлка знаний: проектная задача" in found
    file_row = db.session.scalar(db.select(PracticeFile))
    download = make_browser(d.other_teacher.email).get(w.url(f"{practice.id}/files/{file_row.id}"))
    assert download.status_code == 200 and download.data == DOCX
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download.headers["Content-Disposition"]
    cert = teacher.get(w.url(f"{practice.id}/certificate")).get_data(as_text=True)
    assert "Справка" in cert and "протокол № 2 от 12.02.2026" in cert

    from oms.models import AuditEvent
    actions = {e.summary for e in db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "Practice"))}
    assert "Ёлка знаний: проектная задача в начальной школе" in actions
    file_entry = db.session.scalar(db.select(AuditEvent).where(AuditEvent.object_type == "PracticeFile"))
    assert file_entry.changes["filename"][1] == "Ёлка знаний.docx" and "content" not in file_entry.changes
    moves = db.session.scalars(db.select(AuditEvent).where(AuditEvent.object_type == "PracticeStep")).all()
    assert len(moves) >= 6  # each step of the workflow: who and when


@pytest.mark.parametrize("over, message", [
    ({"title": "  "}, "Заполните это поле."),
    ({"author_ids": "999999"}, "Такого человека нет среди педагогов района"),
    ({"author_ids": []}, "Укажите хотя бы одного автора."),
    ({"links": "javascript:alert(1)"}, "http://"),
    ({"level": "university"}, "Выберите значение из списка."),
])
def test_bad_input_is_refused_and_nothing_saved(make_browser, world, over, message):
    b = make_browser(world.district.teacher.email)
    resp = _propose(b, world, **over)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Practice.id))) == 0


def test_a_disguised_or_too_big_file_is_refused(app, make_browser, world):
    b = make_browser(world.district.teacher.email)
    resp = _propose(b, world, file=(io.BytesIO(b"<html><script>alert(1)</script></html>"), "отчёт.pdf"))
    assert resp.status_code == 422 and "не соответствует его расширению .pdf" in resp.get_data(as_text=True)
    app.config["FILE_MAX_MB"] = 1
    try:
        resp = _propose(b, world, file=(io.BytesIO(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)), "большой.pdf"))
    finally:
        app.config["FILE_MAX_MB"] = 20
    assert resp.status_code == 422 and "больше 1 МБ" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Practice.id))) == 0
    assert db.session.scalar(db.select(db.func.count(PracticeFile.id))) == 0


def test_a_teacher_proposes_only_their_own_practice(make_browser, world):
    b = make_browser(world.district.teacher.email)
    resp = _propose(b, world, author_ids=[str(world.colleague.id)])
    assert resp.status_code == 422 and "Укажите себя среди авторов" in resp.get_data(as_text=True)


def test_experts_from_the_authors_school_or_among_the_authors_are_refused(make_browser, world):
    w = world
    practice = practice_in(w.district.tenant, authors=[w.teacher], status="proposed")
    db.session.commit()
    methodist = make_browser(w.district.methodist.email)
    for people, words in (([w.colleague], "в той же организации"), ([w.teacher], "автор этой практики"),
                          ([w.expert, w.leader, w.colleague], "Назначьте одного или двух экспертов."), ([], "Назначьте")):
        resp = methodist.post(w.url(f"{practice.id}/experts"), data={"experts": [str(p.id) for p in people]})
        assert resp.status_code == 422 and words in resp.get_data(as_text=True)
    assert _status(practice.id) == "proposed"
    assert db.session.scalar(db.select(db.func.count(PracticeReview.id))) == 0


def test_roles_see_and_move_only_what_the_table_allows(make_browser, world):
    w, d = world, world.district
    draft = practice_in(d.tenant, authors=[w.teacher], status="draft", title="Черновик Смирновой")
    db.session.commit()
    # another teacher: no draft, and no moves
    other = make_browser(d.other_teacher.email)
    assert other.get(w.url(f"{draft.id}/")).status_code == 404
    assert _move(other, w, draft, "submit").status_code == 404
    assert "Черновик Смирновой" not in other.get(w.url("work/")).get_data(as_text=True)
    # the author and the leader of the author's association see it
    assert "Черновик Смирновой" in make_browser(d.teacher.email).get(w.url("work/")).get_data(as_text=True)
    leader = make_browser(d.leader.email)
    assert "Черновик Смирновой" in leader.get(w.url("work/")).get_data(as_text=True)
    # the leader submits for the member, screens it, and may send it back with a comment
    _move(leader, w, draft, "submit")
    assert _status(draft.id) == "proposed"
    _move(leader, w, draft, "screen")
    assert _practice().screened_by_id == d.leader.id
    _move(leader, w, draft, "screen_return")  # without a comment: refused
    assert _status(draft.id) == "proposed"
    _move(leader, w, draft, "return", "нет")  # the methodist's return is not the leader's
    assert _status(draft.id) == "proposed"
    _move(leader, w, draft, "screen_return", "Добавьте результаты диагностики.")
    assert _status(draft.id) == "revision"
    # a teacher cannot assign experts or reject
    teacher = make_browser(d.teacher.email)
    assert teacher.get(w.url(f"{draft.id}/experts")).status_code == 403
    _move(teacher, w, draft, "reject", "нет")
    assert _status(draft.id) == "revision"
    # an expert not assigned to the practice does not see it
    assert make_browser(d.expert_user.email).get(w.url(f"{draft.id}/")).status_code == 404


def test_the_leader_proposes_for_members_only(make_browser, world):
    leader = make_browser(world.district.leader.email)
    resp = _propose(leader, world, author_ids=[str(world.colleague.id)])
    assert resp.status_code == 422 and "Не член ваших объединений" in resp.get_data(as_text=True)
    assert _propose(leader, world, author_ids=[str(world.teacher.id)]).status_code == 302


def test_only_the_assigned_expert_scores_and_scores_stay_in_range(make_browser, world):
    w, d = world, world.district
    practice = practice_in(d.tenant, authors=[w.teacher], status="review", review_round=1)
    review = PracticeReview(tenant_id=d.tenant.id, practice_id=practice.id, expert_id=w.expert.id, round=1)
    db.session.add(review)
    db.session.commit()
    url = w.url(f"{practice.id}/reviews/{review.id}")
    assert make_browser(d.other_teacher.email).get(url).status_code == 404
    assert make_browser(d.methodist.email).get(url).status_code == 403
    expert = make_browser(d.expert_user.email)
    expert.get(url)
    from oms.models import RubricCriterion
    criteria = db.session.scalars(db.select(RubricCriterion)).all()
    resp = expert.post(url, data={**{f"c{c.id}": "9" for c in criteria}, "conclusion": "recommend"})
    assert resp.status_code == 422 and "От 0 до 5 баллов." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PracticeReview, review.id).submitted_at is None


def test_the_admin_edits_the_rubric(make_browser, world):
    admin, methodist = make_browser(world.district.admin.email), make_browser(world.district.methodist.email)
    assert methodist.post(world.url("rubric/"), data={"name": "Методичность", "max_points": "3"}).status_code == 403
    assert admin.post(world.url("rubric/"), data={"name": "", "max_points": "3"}).status_code == 422
    assert admin.post(world.url("rubric/"), data={"name": "Методичность", "max_points": "3"}).status_code == 302
    assert "Методичность" in methodist.get(world.url("rubric/")).get_data(as_text=True)


def test_the_register_downloads_without_formulas(make_browser, world):
    from openpyxl import load_workbook

    practice_in(world.district.tenant, authors=[world.teacher], title="=HYPERLINK(\"http://x\")")
    db.session.commit()
    resp = make_browser(world.district.methodist.email).get(world.url("export.xlsx"))
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    cell = book["Реестр практик"]["B2"]
    assert cell.data_type == "s" and not str(cell.value).startswith("=")
    assert book["По организациям"]["B2"].value == 1
    assert make_browser(world.district.teacher.email).get(world.url("export.xlsx")).status_code == 403
    stats = make_browser(world.district.methodist.email).get(world.url("stats/")).get_data(as_text=True)
    assert "МБОУ СОШ № 1" in stats and "2025/2026" in stats


def test_spreading_plan_items_and_the_route_step_on_a_deficit(make_browser, world):
    from factories.plan import item_in

    w, d = world, world.district
    practice = practice_in(d.tenant, authors=[w.teacher], title="Ёлка знаний")
    from oms.models import PracticeArea
    db.session.add(PracticeArea(tenant_id=d.tenant.id, practice_id=practice.id, area_id=w.area.id))
    item = item_in(d.tenant, title="Мастер-класс «Проектная задача»")
    mentee = person_in(d.tenant, school_id=w.school_b.id)
    deficit = deficit_in(d.tenant, person=mentee, area=w.area)
    db.session.commit()
    from oms import clock
    methodist = make_browser(d.methodist.email)
    with clock.pinned(methodist.client.application, date(2025, 11, 10)):
        page = methodist.get(w.url(f"{practice.id}/")).get_data(as_text=True)
        assert "Мастер-класс «Проектная задача»" not in page and f"/{w.slug}/pick/plan_item?years=2025" in page
        resp = methodist.post(w.url(f"{practice.id}/plan-items"), data={})
        assert "Выберите мероприятие плана." in methodist.get(resp.headers["Location"]).get_data(as_text=True)
        resp = methodist.post(w.url(f"{practice.id}/plan-items"), data={"plan_item_id": str(item.id)})
        assert resp.status_code == 302
        page = methodist.get(w.url(f"{practice.id}/")).get_data(as_text=True)
        assert "Мастер-класс «Проектная задача»" in page and f"exclude={item.id}" in page
    execution = methodist.get(f"/{w.slug}/plans/2025-2026/items/{item.id}/execution")
    assert execution.status_code == 200
    execution = execution.get_data(as_text=True)
    assert "Распространяемые практики банка" in execution and "Ёлка знаний" in execution
    person_page = methodist.get(f"/{w.slug}/development/people/{mentee.id}/").get_data(as_text=True)
    assert "Ёлка знаний" in person_page
    assert methodist.post(w.url(f"{practice.id}/study/{deficit.id}")).status_code == 302
    step = db.session.scalar(db.select(RouteStep))
    assert step.deficit_id == deficit.id and "Ёлка знаний" in step.title
    # one click twice: one step
    methodist.post(w.url(f"{practice.id}/study/{deficit.id}"))
    assert db.session.scalar(db.select(db.func.count(RouteStep.id))) == 1
    assert make_browser(d.teacher.email).post(w.url(f"{practice.id}/study/{deficit.id}")).status_code == 403


def test_the_catalogue_runs_a_constant_number_of_queries(make_browser, world, count_queries):
    w = world
    b = make_browser(w.district.teacher.email)
    counts = []
    for n in (2, 30):
        for i in range(n):
            practice_in(w.district.tenant, authors=[w.teacher, w.colleague], title=f"Практика {n}-{i}")
        db.session.commit()
        b.get(w.url())
        with count_queries() as q:
            assert b.get(w.url()).status_code == 200
        counts.append(q.count)
        with count_queries() as q:
            assert b.get(w.url("work/")).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_my_page_offers_proposing_and_counts_the_reviews_waiting(make_browser, world):
    w, d = world, world.district
    practice = practice_in(d.tenant, authors=[w.teacher], status="review", review_round=1)
    db.session.add(PracticeReview(tenant_id=d.tenant.id, practice_id=practice.id, expert_id=w.expert.id, round=1))
    db.session.commit()
    page = make_browser(d.expert_user.email).get(f"/{w.slug}/me/").get_data(as_text=True)
    assert "Предложить практику" in page and "На экспертизе у меня" in page
    assert 'badge badge--warn">1<' in page


def test_editing_and_deleting_follow_the_table(make_browser, world):
    w, d = world, world.district
    proposed = practice_in(d.tenant, authors=[w.teacher], status="proposed", title="Предложенная")
    draft = practice_in(d.tenant, authors=[w.teacher], status="draft", title="Черновик")
    from factories.practices import practice_file_in
    practice_file_in(d.tenant, practice=draft)
    db.session.commit()
    teacher, methodist = make_browser(d.teacher.email), make_browser(d.methodist.email)
    assert teacher.get(w.url(f"{proposed.id}/edit")).status_code == 403
    opened = methodist.get(w.url(f"{proposed.id}/edit")).get_data(as_text=True)
    assert f'name="author_ids" value="{w.teacher.id}"' in opened and "Смирнова Ольга Ивановна" in opened
    resp = methodist.post(w.url(f"{proposed.id}/edit"), data=_form(w, title="Предложенная, уточнённая",
                                                                    version=str(proposed.version)))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Practice, proposed.id).title == "Предложенная, уточнённая"
    assert make_browser(d.other_teacher.email).post(w.url(f"{draft.id}/delete")).status_code == 404
    assert teacher.post(w.url(f"{proposed.id}/delete")).status_code == 403
    draft_id = draft.id
    assert teacher.post(w.url(f"{draft_id}/delete")).status_code == 302
    assert db.session.scalar(db.select(Practice.id).where(Practice.id == draft_id)) is None
    assert db.session.scalar(db.select(db.func.count(PracticeFile.id))) == 0


def test_a_stale_edit_shows_both_versions_and_saves_nothing(make_browser, world):
    w, d = world, world.district
    draft = practice_in(d.tenant, authors=[w.teacher], status="draft", title="Первое название")
    db.session.commit()
    old_version = draft.version
    teacher = make_browser(d.teacher.email)
    assert teacher.post(w.url(f"{draft.id}/edit"), data=_form(w, title="Второе название",
                                                              version=str(old_version))).status_code == 302
    resp = teacher.post(w.url(f"{draft.id}/edit"), data=_form(w, title="Третье название", version=str(old_version)))
    assert resp.status_code == 409 and "Второе название" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Practice, draft.id).title == "Второе название"


def test_the_card_runs_a_constant_number_of_queries(make_browser, world, count_queries):
    from factories.practices import practice_file_in, practice_review_in
    from oms.models import PracticeStep
    from datetime import datetime

    w, d = world, world.district
    b = make_browser(d.methodist.email)
    counts = []
    for n in (1, 8):
        practice = practice_in(d.tenant, authors=[w.teacher, w.colleague][: 1 + (n > 1)], status="review",
                               review_round=1)
        for i in range(n):
            practice_file_in(d.tenant, practice=practice)
            practice_review_in(d.tenant, practice=practice, expert=person_in(d.tenant, school_id=w.school_b.id))
            db.session.add(PracticeStep(tenant_id=d.tenant.id, practice_id=practice.id, action="submit",
                                        from_status="draft", to_status="proposed", user_name="Методист",
                                        at=datetime(2026, 1, 10 + i)))
        db.session.commit()
        b.get(w.url(f"{practice.id}/"))
        with count_queries() as q:
            assert b.get(w.url(f"{practice.id}/")).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_the_catalogue_filters_answer_htmx_with_the_list_only(make_browser, world):
    w, d = world, world.district
    practice_in(d.tenant, authors=[w.teacher], title="Ёлка знаний", level="primary", kind="lesson",
                subjects="Математика")
    practice_in(d.tenant, authors=[w.colleague], title="Физика вокруг нас", level="basic", kind="programme",
                subjects="Физика")
    db.session.commit()
    b = make_browser(d.teacher.email)
    part = b.get(w.url("?level=primary"), headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in part and "Ёлка знаний" in part and "Физика вокруг нас" not in part
    assert "Физика вокруг нас" in b.get(w.url("?subject=Физика")).get_data(as_text=True)
    assert "Ёлка знаний" not in b.get(w.url("?kind=programme")).get_data(as_text=True)
    assert "Ничего не нашли" in b.get(w.url("?q=несуществующее")).get_data(as_text=True)
    assert b.get(w.url("?level=bogus&year=x&area=y")).status_code == 200


def test_the_council_meeting_is_found_with_the_picker_among_the_councils_meetings(
        make_browser, world, make_tenant, count_queries):
    """The decision form lists no meetings (it showed the 60 latest): the picker finds any meeting of the
    district's councils, however old; nothing chosen, an association's meeting or another district's one is
    refused in Russian; the form does not grow with the meetings."""
    from factories.practices import practice_in

    w, d = world, world.district
    practice = practice_in(d.tenant, status="recommended", title="Проектная задача")
    old = meeting_in(d.tenant, body=w.council, number="1", held_on=date(2019, 9, 10))
    association = db.session.scalar(db.select(Body).where(Body.name == "РМО учителей начальных классов"))
    not_council = meeting_in(d.tenant, body=association, held_on=date(2026, 1, 15))
    other = make_tenant()
    foreign = meeting_in(other, body=council_in(other), held_on=date(2026, 1, 15))
    db.session.commit()
    methodist = make_browser(d.methodist.email)
    url = w.url(f"{practice.id}/council")

    def form_page():
        with count_queries() as q:
            body = methodist.get(url).get_data(as_text=True)
        return body, q.count

    body, queries = form_page()
    assert "заседание № 1 от 10.09.2019" not in body and f"/{d.slug}/pick/meeting?category=council" in body
    for n in range(40):
        meeting_in(d.tenant, body=w.council, held_on=date(2025, 10, 1 + n % 28))
    db.session.commit()
    more, more_queries = form_page()
    assert more_queries == queries and len(more) < len(body) + 200
    found = methodist.get(f"/{d.slug}/pick/meeting", query_string={"pick_q": "10.09.2019", "category": "council"},
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'data-id="{old.id}"' in found

    text = "Одобрить практику и опубликовать."
    resp = methodist.post(url, data={"text": text})
    assert resp.status_code == 422 and "Выберите заседание совета." in resp.get_data(as_text=True)
    for wrong in (not_council.id, foreign.id):
        resp = methodist.post(url, data={"meeting_id": str(wrong), "text": text})
        assert resp.status_code == 422 and "Такого заседания нет" in resp.get_data(as_text=True)
    assert _status(practice.id) == "recommended"
    assert methodist.post(url, data={"meeting_id": str(old.id), "text": text}).status_code == 302
    assert db.session.scalar(db.select(Decision.meeting_id)) == old.id and _status(practice.id) == "council"
