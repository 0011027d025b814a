"""All models, imported so that SQLAlchemy and Alembic see them."""
from .audit import AuditEvent
from .base import TenantScoped, Timestamped
from .contests import (Appeal, Assignment, Competition, ContestCoordinator, ContestFile, Criterion, Entry,
                       EntryFile, Juror, Nomination, Score, Stage, StageSubject, TeamMember)
from .documents import Document, DocumentFile, Notice, NoticeRead
from .development import (Attestation, CompetenceArea, Course, Deficit, MentoringMeeting, Mentorship,
                          RouteStep)
from .consultations import Consultation, ConsultationCategory, ConsultationFile, ConsultationSlot
from .pd_requests import PDRequest
from .events import Event, EventRegistration
from .evidence import PlanItemLink
from .imports import ImportBatch
from .outbox import OutboxMail
from .people import Person, School
from .practices import (Practice, PracticeArea, PracticeAuthor, PracticeFile, PracticePlanItem,
                        PracticeReview, PracticeStep, ReviewScore, RubricCriterion)
from .plan import Plan, PlanItem, PlanItemResponsible, PlanStatusChange
from .structure import (AgendaItem, AgendaProposal, CompositionRule, Attendance, Body, BodyKind, BodyMember, Decision, Direction, Function,
                        FunctionAssignee, Meeting, WorkForm)
from .tenant import Tenant
from .submission import FormSubmission
from .surveys import ProposedDeficit, Survey, SurveyLink, SurveyQuestion, SurveyRespondent, SurveyResponse
from .user import AuthSession, PasswordLink, User

__all__ = ["AgendaItem", "Attendance", "AuditEvent", "AuthSession", "Body", "BodyKind", "BodyMember", "Decision",
           "Direction", "FormSubmission", "Function", "FunctionAssignee", "ImportBatch", "Meeting", "PasswordLink",
           "Person", "Plan", "PlanItem", "PlanItemResponsible", "PlanStatusChange", "School", "Tenant",
           "TenantScoped", "Timestamped", "User", "WorkForm"]
__all__ += ["Attestation", "CompetenceArea", "Course", "Deficit", "MentoringMeeting", "Mentorship", "RouteStep"]
__all__ += ["Practice", "PracticeArea", "PracticeAuthor", "PracticeFile", "PracticePlanItem", "PracticeReview",
            "PracticeStep", "ReviewScore", "RubricCriterion"]
__all__ += ["Consultation", "ConsultationCategory", "ConsultationFile", "ConsultationSlot", "PDRequest", "ProposedDeficit",
            "Survey", "SurveyLink", "SurveyQuestion", "SurveyRespondent", "SurveyResponse"]
__all__ += ["Appeal", "Assignment", "Competition", "ContestCoordinator", "ContestFile", "Criterion", "Entry", "EntryFile", "TeamMember",
            "Juror", "Nomination", "Score", "Stage", "StageSubject"]
__all__ += ["Document", "DocumentFile", "Notice", "NoticeRead"]
__all__ += ["AgendaProposal", "CompositionRule", "Event", "EventRegistration", "OutboxMail", "PlanItemLink"]
