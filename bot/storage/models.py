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
from bot.staff.models import AccessRequest, Invite, Staff

metadata = SQLModel.metadata

__all__ = [
    "AccessRequest",
    "Answer",
    "Attachment",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "Conversation",
    "Deadline",
    "Invite",
    "Notification",
    "ProcessedEvent",
    "Site",
    "Staff",
    "metadata",
]
