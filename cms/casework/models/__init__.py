from .calendar import CalendarOverride
from .case import Case, CaseEvent, TrackingSequence
from .notification import Notification

__all__ = ["CalendarOverride", "Case", "CaseEvent", "Notification", "TrackingSequence"]
