"""StreamField blocks of the portal; each has a theme template and an API representation."""

from .media import AttachmentBlock, ImageBlock
from .stream import CoreStoryBlock
from .table import DataTableBlock
from .text import HeadingBlock, NoticeBlock, PortalRichTextBlock

__all__ = [
    "AttachmentBlock",
    "CoreStoryBlock",
    "DataTableBlock",
    "HeadingBlock",
    "ImageBlock",
    "NoticeBlock",
    "PortalRichTextBlock",
]
