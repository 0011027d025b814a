"""The one picker for records other than people: plan items, practices, documents searched by what was typed,
always within the current district and the kind's scope."""
from datetime import date

import pytest

from factories.documents import document_in
from factories.plan import item_in, plan_in
from factories.practices import practice_in
from oms.extensions import db


def text(resp):
    return resp.get_data(as_text=True)


def pick(b, slug, kind, q, **args):
    return b.get(f"/{slug}/pick/{kind}", query_string={"pick_q": q, **args}, headers={"HX-Request": "true"})


@pytest.fixture
def viewer(make_browser, district):
    return make_browser(district.teacher.email)


def test_plan_items_are_found_by_folded_words_in_this_district_only(viewer, district, make_tenant):
    t = district.tenant
    mine = item_in(t, plan=plan_in(t, 2025), title="Семинар «Ёлочные игрушки» для учителей технологии")
    other = make_tenant()
    item_in(other, plan=plan_in(other, 2025), title="Семинар ёлочный чужого района")
    db.session.commit()
    body = text(pick(viewer, district.slug, "plan_item", "ЕЛОЧН семинар"))
    assert f'data-id="{mine.id}"' in body and "План на 2025/2026" in body
    assert "чужого района" not in body
    assert pick(viewer, other.slug, "plan_item", "семинар").status_code == 404


def test_plan_items_keep_to_the_years_asked_and_leave_out_cancelled_chosen_and_excluded(viewer, district):
    t = district.tenant
    now = item_in(t, plan=plan_in(t, 2025), title="Консультация по ФОП — текущий год")
    old = item_in(t, plan=plan_in(t, 2023), title="Консультация по ФОП — старый план")
    cancelled = item_in(t, plan=plan_in(t, 2025), title="Консультация по ФОП — отменена", status="cancelled")
    chosen = item_in(t, plan=plan_in(t, 2026), title="Консультация по ФОП — следующий год")
    db.session.commit()
    body = text(pick(viewer, district.slug, "plan_item", "консультация фоп", years="2025,2026", open="1",
                     chosen=str(chosen.id)))
    assert f'data-id="{now.id}"' in body
    for left_out in (old, cancelled, chosen):
        assert f'data-id="{left_out.id}"' not in body
    body = text(pick(viewer, district.slug, "plan_item", "консультация фоп", exclude=str(now.id)))
    assert f'data-id="{now.id}"' not in body and f'data-id="{old.id}"' in body  # no years: every plan


def test_practices_published_only_and_documents_open_current_only(viewer, district, make_tenant):
    t = district.tenant
    published = practice_in(t, title="Практика: проектное обучение на уроках физики")
    draft = practice_in(t, title="Практика: проектное обучение (черновик)", status="draft")
    other = make_tenant()
    practice_in(other, title="Практика: проектное обучение чужого района")
    open_doc = document_in(t, title="Положение о проектной деятельности", number="12-од")
    closed = document_in(t, title="Положение о проектной деятельности (служебное)", visibility="service")
    document_in(other, title="Положение о проектной деятельности чужого района")
    db.session.commit()
    body = text(pick(viewer, district.slug, "practice", "проектное"))
    assert f'data-id="{published.id}"' in body and f'data-id="{draft.id}"' not in body
    assert "чужого района" not in body
    body = text(pick(viewer, district.slug, "document", "проектной"))
    assert f'data-id="{open_doc.id}"' in body and "№ 12-од от 29.08.2025" in body
    assert f'data-id="{closed.id}"' not in body and "чужого района" not in body


def test_hints_an_unknown_kind_and_at_most_twenty_in_one_query(viewer, district, count_queries):
    t = district.tenant
    assert "Начните вводить слова из названия пункта плана" in text(pick(viewer, district.slug, "plan_item", " "))
    assert "Пунктов плана не нашли" in text(pick(viewer, district.slug, "plan_item", "нетакого"))
    assert pick(viewer, district.slug, "nothing", "а").status_code == 404
    plan = plan_in(t, 2025)
    for n in range(25):
        item_in(t, plan=plan, title=f"Вебинар № {n}")
    db.session.commit()
    with count_queries() as q:
        body = text(pick(viewer, district.slug, "plan_item", "вебинар"))
    assert body.count("data-picker-option") == 20 and "Показаны первые 20" in body
    assert q.count <= 3  # the user (with the district) and one search


def test_meetings_events_and_stages_of_the_asked_year_and_this_district(viewer, district, make_tenant):
    from datetime import datetime

    from factories.contests import competition_in
    from factories.events import event_in
    from factories.structure import council_in, meeting_in
    from oms.models import Stage

    t = district.tenant
    council = council_in(t, name="Методический совет")
    meeting = meeting_in(t, body=council, number="7", held_on=date(2025, 12, 3), topic="о наставничестве")
    old_meeting = meeting_in(t, body=council, number="7", held_on=date(2023, 12, 3))
    event = event_in(t, title="Форум молодых педагогов", starts_at=datetime(2026, 3, 2, 10, 0),
                     ends_at=datetime(2026, 3, 2, 12, 0))
    contest = competition_in(t, title="Педагогический дебют", start_year=2025)
    other = make_tenant()
    meeting_in(other, body=council_in(other, name="Методический совет чужого района"), held_on=date(2025, 12, 3))
    event_in(other, title="Форум чужого района")
    db.session.commit()
    stage = db.session.scalar(db.select(Stage).where(Stage.competition_id == contest.id))
    for q in ("методический 7", "№7", "03.12.2025", "03.12", "наставничестве"):
        body = text(pick(viewer, district.slug, "meeting", q, years="2025"))
        assert f'data-id="{meeting.id}"' in body and "заседание № 7 от 03.12.2025" in body, q
        assert f'data-id="{old_meeting.id}"' not in body and "чужого района" not in body
    body = text(pick(viewer, district.slug, "event", "форум", years="2025"))
    assert f'data-id="{event.id}"' in body and "чужого района" not in body
    assert f'data-id="{event.id}"' not in text(pick(viewer, district.slug, "event", "форум", years="2024"))
    body = text(pick(viewer, district.slug, "contest_stage", "дебют", years="2025"))
    assert f'data-id="{stage.id}"' in body and "Педагогический дебют" in body
    for kind in ("meeting", "event", "contest_stage"):
        assert pick(viewer, other.slug, kind, "форум").status_code == 404
