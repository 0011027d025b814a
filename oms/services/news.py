"""«Новинки»: whom a notice addresses, what a user has not read yet, and the weekly e-mail digest.

A notice names its audience by positions, subjects and schools; each criterion that is filled must match (a
school among the chosen ones, a subject among the chosen ones, a position named by one of the chosen ones — read
up to the ending, as oms.services.audience reads audiences); an empty criterion lets everyone through.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from ..extensions import db
from ..models import Person, User
from ..models.documents import Notice, NoticeRead
from ..text import fold
from .audience import stem, words

RECENT = 50  # notices «Моё» looks through
DIGEST_DAYS = 7


def _position_named(chosen: str, position: str) -> bool:
    stems = [stem(w) for w in words(chosen) if len(w) > 1]
    person_words = words(position)
    return bool(stems) and all(any(w.startswith(s) for w in person_words) for s in stems)


def addressed(notice: Notice, person: Person | None) -> bool:
    if not (notice.positions or notice.subjects or notice.school_ids):
        return True
    if person is None:
        return False
    if notice.school_ids and person.school_id not in notice.school_ids:
        return False
    if notice.subjects:
        mine = {fold(s) for s in person.subject_list}
        if not mine & {fold(s) for s in notice.subjects}:
            return False
    if notice.positions and not any(_position_named(p, person.position or "") for p in notice.positions):
        return False
    return True


@dataclass
class MyNotice:
    notice: Notice
    is_read: bool


def recent_notices(tenant_id: int, today: date):
    return db.session.scalars(db.select(Notice).where(Notice.tenant_id == tenant_id, Notice.published_on <= today)
                              .order_by(Notice.published_on.desc(), Notice.id.desc()).limit(RECENT)).all()


def read_ids(user_id: int, notice_ids) -> set[int]:
    if not notice_ids:
        return set()
    return set(db.session.scalars(db.select(NoticeRead.notice_id).where(NoticeRead.user_id == user_id,
                                                                        NoticeRead.notice_id.in_(notice_ids))))


def my_notices(user, person, tenant_id: int, today: date, limit: int = 10) -> list[MyNotice]:
    """The latest notices addressed to the user, each with its read mark (two queries)."""
    mine = [n for n in recent_notices(tenant_id, today) if addressed(n, person)][:limit]
    seen = read_ids(user.id, [n.id for n in mine])
    return [MyNotice(n, n.id in seen) for n in mine]


def mark_read(notice: Notice, user) -> None:
    """Remember that the user opened the notice (once); the caller commits."""
    exists = db.session.scalar(db.select(NoticeRead.id).where(NoticeRead.notice_id == notice.id,
                                                             NoticeRead.user_id == user.id))
    if exists is None:
        db.session.add(NoticeRead(tenant_id=notice.tenant_id, notice_id=notice.id, user_id=user.id))


# ---- the weekly digest ------------------------------------------------------------------------

@dataclass
class Letter:
    to: str
    subject: str
    body: str
    user_id: int | None = None


def digest_letters(tenant, today: date, base_url: str = "") -> list[Letter]:
    """One letter per user of the district with unread notices of the last week addressed to them.

    Only builds the letters: queueing them in the outbox is send_digest's."""
    since = today - timedelta(days=DIGEST_DAYS)
    notices = db.session.scalars(db.select(Notice).where(Notice.tenant_id == tenant.id, Notice.published_on > since,
                                                         Notice.published_on <= today)
                                 .order_by(Notice.published_on, Notice.id)).all()
    if not notices:
        return []
    users = db.session.scalars(db.select(User).where(User.tenant_id == tenant.id,
                                                     User.is_active_account.is_(True))).all()
    people = {p.user_id: p for p in db.session.scalars(
        db.select(Person).where(Person.tenant_id == tenant.id, Person.user_id.in_([u.id for u in users])))}
    reads = {(user_id, notice_id) for user_id, notice_id in db.session.execute(
        db.select(NoticeRead.user_id, NoticeRead.notice_id).where(NoticeRead.notice_id.in_([n.id for n in notices])))}
    letters = []
    for user in users:
        if not user.email:
            continue
        mine = [n for n in notices if (user.id, n.id) not in reads and addressed(n, people.get(user.id))]
        if not mine:
            continue
        lines = [f"Здравствуйте, {user.full_name}!", "",
                 f"Новое в разделе «Документы» ({tenant.service_label}, {tenant.name}) за неделю:", ""]
        for n in mine:
            lines.append(f"• {n.published_on:%d.%m.%Y} — {n.title}")
            lines.append(f"  {base_url}/{tenant.slug}/documents/news/{n.id}/")
        lines += ["", "Письмо отправлено автоматически; отвечать на него не нужно."]
        letters.append(Letter(user.email, f"Новинки методической службы: {len(mine)}", "\n".join(lines), user.id))
    return letters


def digest_key(user_id: int, today: date) -> str:
    """One digest per user and ISO week: a second run in the same week queues nothing."""
    year, week, _day = today.isocalendar()
    return f"news-digest:{user_id}:{year}-W{week:02d}"


def send_digest(today: date, base_url: str = "") -> tuple[int, int]:
    """Build every district's digest and queue it in the mail outbox (oms.mail), each letter keyed by its user
    and the ISO week of `today`; nothing is queued without SMTP. Commits. Returns (letters built, queued)."""
    from .. import mail
    from ..models import Tenant

    built = queued = 0
    for tenant in db.session.scalars(db.select(Tenant).where(Tenant.is_suspended.is_(False)).order_by(Tenant.id)):
        for letter in digest_letters(tenant, today, base_url):
            built += 1
            if mail.queue(letter.to, letter.subject, letter.body, key=digest_key(letter.user_id, today),
                          tenant_id=tenant.id):
                queued += 1
    db.session.commit()
    return built, queued
