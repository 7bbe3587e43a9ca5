"""All tables. Each feature adds its models in a module here and imports it below, so
Alembic sees every table through `Base.metadata`."""

from tsunagu.models import booking as booking
from tsunagu.models import staff as staff
from tsunagu.models.base import Base
from tsunagu.models.core import Conversation, InboundEvent, Message, OutboundMessage, Resident

__all__ = ["Base", "Conversation", "InboundEvent", "Message", "OutboundMessage", "Resident"]
