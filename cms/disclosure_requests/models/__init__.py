from .flow import REQUEST_FLOW, State
from .request import DisclosureRequest, DisclosureRequestEvent

__all__ = ["REQUEST_FLOW", "DisclosureRequest", "DisclosureRequestEvent", "State"]
