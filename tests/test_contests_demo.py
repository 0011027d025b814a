"""The demo has contests and the ВсОШ season in every district, and loading it twice adds nothing."""
from oms.demo_steps import DEMO_DAY
from oms.extensions import db
from oms.models import Appeal, Assignment, Competition, Entry, Score, StageSubject, TeamMember, Tenant
from oms.services import contests as svc


def test_demo_contests_in_every_district(demo):
    from oms.demo import load_demo

    tenants = db.session.scalars(db.select(Tenant)).all()
    assert len(tenants) == 4
    for tenant in tenants:
        comps = db.session.scalars(db.select(Competition).where(Competition.tenant_id == tenant.id,
                                                                Competition.start_year == 2025)).all()
        assert len(comps) >= 3, tenant.slug
        toy = next(c for c in comps if c.kind == "teachers")
        first, final = svc.stages_of(toy)  # a correspondence round, then the final of the top three
        assert first.locked_at is not None and final.locked_at is not None
        assert db.session.scalar(db.select(db.func.count(Score.id)).where(Score.tenant_id == tenant.id)) > 10
        _c, rows = svc.stage_table(toy, first)
        _c, final_rows = svc.stage_table(toy, final)
        assert len(rows) > len(final_rows) >= 3
        assert {r.entry.origin_id for r in final_rows} <= {r.entry.id for r in rows}
        assert any(r.entry.result == "winner" for r in final_rows)
        assert not any(r.entry.result == "winner" for r in rows)
        team = db.session.scalar(db.select(Entry).where(Entry.tenant_id == tenant.id, Entry.entrant == "team"))
        assert db.session.scalar(db.select(db.func.count(TeamMember.id)).where(TeamMember.entry_id == team.id)) >= 2
        pupils = next(c for c in comps if c.kind == "conference")  # held after the demo day: jury ready, no scores
        (stage,) = svc.stages_of(pupils)
        assert stage.date_from > DEMO_DAY and stage.locked_at is None and pupils.jury_order_number
        admitted = db.session.scalars(db.select(Entry.id).where(Entry.stage_id == stage.id,
                                                                Entry.status == "admitted")).all()
        assigned = db.session.scalars(db.select(Assignment.entry_id).where(Assignment.entry_id.in_(admitted))).all()
        assert admitted and set(assigned) == set(admitted)
        assert db.session.scalar(db.select(db.func.count(Score.id)).where(Score.entry_id.in_(admitted))) == 0
        season = svc.season(tenant.id, 2025)
        for kind in ("school", "municipal"):
            st = svc.stage_of(season, kind)
            subjects = db.session.scalars(db.select(StageSubject.nomination_id).where(
                StageSubject.stage_id == st.id, StageSubject.threshold.is_not(None)).distinct()).all()
            assert len(subjects) >= 4, (tenant.slug, kind)
            assert db.session.scalar(db.select(db.func.count(Entry.id)).where(Entry.stage_id == st.id)) > 10
        assert db.session.scalar(db.select(db.func.count(Appeal.id)).where(Appeal.tenant_id == tenant.id)) == 1
    before = db.session.scalar(db.select(db.func.count(Entry.id)))
    load_demo()
    assert db.session.scalar(db.select(db.func.count(Entry.id))) == before
