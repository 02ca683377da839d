"""Every table, imported in one place so metadata and migrations see them all."""

from sqlmodel import SQLModel

from bot.cases.models import (
    Answer,
    Attachment,
    Case,
    CaseCounter,
    CaseEvent,
    Deadline,
)
from bot.conversations.models import Conversation, ParkedWork
from bot.deadlines.models import JobRun
from bot.delivery.models import Delivery
from bot.drills.models import Drill, DrillEntry, DrillResponse, DrillShortcoming
from bot.escalation.models import Alert
from bot.inbox.models import InboxUpdate
from bot.managers import indexes as _manager_indexes  # noqa: F401  (indexes on cases, deadlines)
from bot.rota.models import RotaShift, RotaSwap
from bot.sites.models import Site
from bot.staff.models import AccessRequest, CodeAttempts, Invite, RequestLink, Staff
from bot.tasks.models import Task

metadata = SQLModel.metadata

__all__ = [
    "AccessRequest",
    "Alert",
    "Answer",
    "Attachment",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CodeAttempts",
    "Conversation",
    "Deadline",
    "Delivery",
    "Drill",
    "DrillEntry",
    "DrillResponse",
    "DrillShortcoming",
    "InboxUpdate",
    "Invite",
    "JobRun",
    "ParkedWork",
    "RequestLink",
    "RotaShift",
    "RotaSwap",
    "Site",
    "Staff",
    "Task",
    "metadata",
]
