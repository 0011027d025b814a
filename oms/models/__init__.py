"""All models, imported so that SQLAlchemy and Alembic see them."""
from .audit import AuditEvent
from .base import TenantScoped, Timestamped
from .development import (Attestation, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship,
                          RouteStep)
from .events import Event, EventRegistration
from .evidence import PlanItemLink
from .imports import ImportBatch
from .outbox import OutboxMail
from .people import Person, School
from .plan import Plan, PlanItem, PlanItemResponsible, PlanStatusChange
from .structure import (AgendaItem, AgendaProposal, CompositionRule, Attendance, Body, BodyKind, BodyMember, Decision, Direction, Function,
                        FunctionAssignee, Meeting, WorkForm)
from .tenant import Tenant
from .submission import FormSubmission
from .user import AuthSession, PasswordLink, User

__all__ = ["AgendaItem", "Attendance", "AuditEvent", "AuthSession", "Body", "BodyKind", "BodyMember", "Decision",
           "Direction", "FormSubmission", "Function", "FunctionAssignee", "ImportBatch", "Meeting", "PasswordLink",
           "Person", "Plan", "PlanItem", "PlanItemResponsible", "PlanStatusChange", "School", "Tenant",
           "TenantScoped", "Timestamped", "User", "WorkForm"]
__all__ += ["Attestation", "CompetenceArea", "Course", "Deficit", "MentoringMeeting", "Mentorship", "RouteStep"]
__all__ += ["AgendaProposal", "CompositionRule", "Event", "EventRegistration", "OutboxMail", "PlanItemLink"]
