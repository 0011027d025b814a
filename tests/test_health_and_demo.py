"""Health check and demo data, as CONTRACT.md promises them."""
import pytest

from oms import create_app
from oms.config import TestConfig
from oms.extensions import db
from oms.models import Tenant, User
from support import csrf_from


def test_healthz_answers_ok_after_a_database_round_trip(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.get_json() == {"status": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(type("Cfg", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"}))
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503


def test_app_refuses_to_start_without_a_secret_key(monkeypatch):
    from oms.config import Config

    monkeypatch.setattr(Config, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_demo_loads_twice_without_duplicates_and_its_accounts_work(demo, app):
    from oms.demo import load_demo

    counts = {m.__name__: db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Tenant, User)}
    load_demo(app.config["PASSWORD_HASH_METHOD"])
    assert counts == {m.__name__: db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Tenant, User)}
    assert counts["Tenant"] == 4
    client = app.test_client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"email": "leader@kalar.demo.oms", "password": "oms-demo", "csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"] == "/kalar/my/"  # the leader's own page


@pytest.mark.parametrize("slug, words", [
    ("kurchaloy", ["Отдел методического сопровождения", "137-од", "04.08.2023"]),
    ("serdobsk", ["Сердобск"]),
    ("strezhevoy", ["Стрежевой", "155", "14.05.2020"]),
    ("kalar", ["Каларск", "373", "01.07.2021"]),
])
def test_each_demo_district_shows_its_own_profile(demo, make_browser, slug, words):
    b = make_browser()
    assert b.login(f"methodist@{slug}.demo.oms", "oms-demo").status_code == 302
    html = b.get(f"/{slug}/").get_data(as_text=True)
    for word in words:
        assert word in html, f"{slug}: {word!r} missing"


def test_oms_demo_serves_the_demo_day_unless_told_otherwise():
    from datetime import date

    from oms.demo_steps import DEMO_DAY
    from oms.local import demo_today

    assert DEMO_DAY == date(2026, 5, 15)
    assert demo_today({}) == DEMO_DAY
    assert demo_today({"OMS_TODAY": "2026-02-01"}) == date(2026, 2, 1)
    assert demo_today({"OMS_TODAY": ""}) is None
