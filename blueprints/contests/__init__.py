"""Contests and olympiads: one engine, two URL prefixes — /contests/ (professional and pupils' contests,
conferences) and /olympiads/ (ВсОШ seasons and their stages). The rules live in oms.services.contests."""
from oms.tenancy import TenantBlueprint

bp = TenantBlueprint("contests", __name__)


@bp.app_template_global("contest_wins")
def contest_wins(person_id: int):
    """A teacher's wins and prizes (their own entries) for their person card: one query."""
    from oms.services.contests import wins_of

    return wins_of(person_id)


@bp.app_template_global("may_propose_win")
def may_propose_win(person_user_id) -> bool:
    """Whether «Предложить в банк практик» shows on a teacher's win: the teacher themself, a methodist, an admin."""
    from flask_login import current_user

    from oms.services.practices import may_propose_win as allowed

    return allowed(current_user, person_user_id)


from . import contests, evidence, imports, jury, mine, olympiads, stages  # noqa: E402,F401


@bp.app_template_filter("points")
def points(value) -> str:
    """Points as people write them: 27,5 and 44 (never 44.0)."""
    return f"{value:g}".replace(".", ",") if value is not None else ""
