"""Members and meetings of a body, shared by the council's and the associations' screens.

`BodyScreens` registers the same routes on a blueprint — members, meetings,
agenda, attendance, decisions, printable minutes — for the bodies of given
categories, guarded by one permission action. Every child is loaded through
its parent from the URL (a meeting through its body, a decision through its
meeting), so an id of another body's row answers 404.
"""

from flask import abort, url_for
from sqlalchemy.orm import selectinload

from oms import clock
from oms.extensions import db
from oms.models import Body
from oms.permissions import can

from .meetings import MeetingScreens
from .members import MemberScreens


# The screens that show a body of each category (a meeting's page is found through its body's category).
BODY_SCREENS: dict[str, "BodyScreens"] = {}


class BodyScreens(MemberScreens, MeetingScreens):
    """The screens of one kind of body page; `detail_page` (the body's own page) comes from the blueprint."""

    def __init__(self, bp, arg: str, categories: tuple[str, ...], edit_action: str, roles: tuple[str, ...],
                 detail_endpoint: str):
        self.bp = bp
        self.arg = arg
        self.categories = categories
        self.edit_action = edit_action
        self.roles = roles
        self.detail_endpoint = detail_endpoint
        for category in categories:
            BODY_SCREENS[category] = self
        self._register()

    def url(self, name: str, body, **kwargs) -> str:
        return url_for(f"{self.bp.name}.{name}", **{self.arg: body.id}, **kwargs)

    def detail_url(self, body) -> str:
        return url_for(self.detail_endpoint, **{self.arg: body.id})

    def body_or_404(self, body_id) -> Body:
        body = db.session.scalar(Body.scoped().where(Body.id == body_id)
                                 .options(selectinload(Body.school), selectinload(Body.parent)))
        if body is None or body.kind.category not in self.categories:
            abort(404)
        return body

    def can_edit(self, body) -> bool:
        return can(self.edit_action, body)

    def body_context(self, body, **extra) -> dict:
        """What the body's own page shows: members, meetings, open decisions."""
        extra.setdefault("can_edit", self.can_edit(body))  # a view that checked already passes it
        context = self.members_context(body, **extra)
        context.update(meetings=self.meetings_of(body), open_decisions=self.open_decisions(body),
                       today=clock.today())
        return context

    def _register(self):
        m = "/<body>/meetings/<int:meeting_id>"
        routes = [
            ("/<body>/members", "add_member", self.add_member, ["POST"]),
            ("/<body>/members/<int:member_id>/edit", "edit_member", self.edit_member, ["GET", "POST"]),
            ("/<body>/members/<int:member_id>/delete", "delete_member", self.delete_member, ["POST"]),
            ("/<body>/meetings/new", "new_meeting", self.new_meeting, ["GET", "POST"]),
            (m + "/", "meeting", self.meeting, ["GET"]),
            (m + "/minutes", "minutes", self.minutes, ["GET"]),
            (m + "/edit", "edit_meeting", self.edit_meeting, ["GET", "POST"]),
            (m + "/delete", "delete_meeting", self.delete_meeting, ["POST"]),
            (m + "/agenda", "add_agenda", self.add_agenda, ["POST"]),
            (m + "/agenda/<int:item_id>/delete", "delete_agenda", self.delete_agenda, ["POST"]),
            (m + "/agenda/<int:item_id>/move", "move_agenda", self.move_agenda, ["POST"]),
            (m + "/attendance", "save_attendance", self.save_attendance, ["POST"]),
            (m + "/guests", "add_guest", self.add_guest, ["POST"]),
            (m + "/guests/external", "add_external_guest", self.add_external_guest, ["POST"]),
            (m + "/guests/<int:attendance_id>/delete", "delete_guest", self.delete_guest, ["POST"]),
            (m + "/decisions", "add_decision", self.add_decision, ["POST"]),
            (m + "/decisions/<int:decision_id>/edit", "edit_decision", self.edit_decision, ["GET", "POST"]),
            (m + "/decisions/<int:decision_id>/to-plan", "decision_to_plan", self.decision_to_plan, ["POST"]),
            (m + "/decisions/<int:decision_id>/delete", "delete_decision", self.delete_decision, ["POST"]),
        ]
        for rule, endpoint, method, methods in routes:
            self.bp.add_url_rule(rule.replace("<body>", f"<int:{self.arg}>"), endpoint,
                                 self._view(method, endpoint), methods=methods)

    def _view(self, method, endpoint):
        arg = self.arg

        def view(**kwargs):
            kwargs["body_id"] = kwargs.pop(arg)
            return method(**kwargs)

        view.__name__ = f"{self.bp.name}_{endpoint}"
        return view
