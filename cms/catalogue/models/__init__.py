from .classification import ResourceClass
from .resource import DataItem, Resource

__all__ = ["DataItem", "Resource", "ResourceClass"]
