from .curation import Synonym, ZeroResultQuery
from .entry import SearchEntry
from .queue import IndexUpdate

__all__ = ["IndexUpdate", "SearchEntry", "Synonym", "ZeroResultQuery"]
