"""Every table, imported in one place so metadata and migrations see them all."""

from sqlmodel import SQLModel

from bot.cases.models import (
    Answer,
    Attachment,
    Case,
    CaseCounter,
    CaseEvent,
    Deadline,
    Notification,
)
from bot.conversations.models import Conversation, ProcessedEvent
from bot.sites.models import Site
from bot.staff.models import Staff

metadata = SQLModel.metadata

__all__ = [
    "Answer",
    "Attachment",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "Conversation",
    "Deadline",
    "Notification",
    "ProcessedEvent",
    "Site",
    "Staff",
    "metadata",
]
