from .application import Application, ApplicationEvent, ApplicationFile, Rating
from .flow import APPLICATION_FLOW, State

__all__ = ["APPLICATION_FLOW", "Application", "ApplicationEvent", "ApplicationFile", "Rating", "State"]
