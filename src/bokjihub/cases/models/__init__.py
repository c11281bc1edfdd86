"""Cases (사례): the supporting track. One module per sub-domain; import from here."""

from bokjihub.cases.models.assessment import (
    CrisisLevel,
    DomainNeed,
    NeedDomain,
    NeedsAssessment,
    NeedSeverity,
)
from bokjihub.cases.models.case import (
    Case,
    CaseHandover,
    CaseLevel,
    CaseNumberSequence,
    CaseOutcome,
    CaseParticipant,
    CaseStage,
    CaseStatus,
    ParticipantRole,
)
from bokjihub.cases.models.conference import (
    CaseTask,
    Conference,
    ConferenceCase,
    ConferenceDecision,
    ConferenceKind,
    ConferenceParticipant,
    ConferenceStatus,
    TaskStatus,
)
from bokjihub.cases.models.delivery import Delivery, RedundancyFlag, RedundancyStatus
from bokjihub.cases.models.plan import CasePlan, GoalStatus, PlanGoal
from bokjihub.cases.models.timeline import CaseEvent, CaseEventKind, CaseNote, NoteVisibility
from bokjihub.cases.models.unmet import UnmetNeed, UnmetNeedReason
from bokjihub.cases.models.visit import Visit, VisitKind, VisitOutcome, VisitStaff, VisitStatus

__all__ = [
    "Case",
    "CaseEvent",
    "CaseEventKind",
    "CaseHandover",
    "CaseLevel",
    "CaseNote",
    "CaseNumberSequence",
    "CaseOutcome",
    "CaseParticipant",
    "CasePlan",
    "CaseStage",
    "CaseStatus",
    "CaseTask",
    "Conference",
    "ConferenceCase",
    "ConferenceDecision",
    "ConferenceKind",
    "ConferenceParticipant",
    "ConferenceStatus",
    "CrisisLevel",
    "Delivery",
    "DomainNeed",
    "GoalStatus",
    "NeedDomain",
    "NeedSeverity",
    "NeedsAssessment",
    "NoteVisibility",
    "ParticipantRole",
    "PlanGoal",
    "RedundancyFlag",
    "RedundancyStatus",
    "TaskStatus",
    "UnmetNeed",
    "UnmetNeedReason",
    "Visit",
    "VisitKind",
    "VisitOutcome",
    "VisitStaff",
    "VisitStatus",
]
