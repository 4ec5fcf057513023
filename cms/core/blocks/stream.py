from wagtail import blocks

from .media import AttachmentBlock, ImageBlock
from .table import DataTableBlock
from .text import HeadingBlock, NoticeBlock, PortalRichTextBlock


class CoreStoryBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = PortalRichTextBlock()
    table = DataTableBlock()
    image = ImageBlock()
    attachment = AttachmentBlock()
    notice = NoticeBlock()

    class Meta:
        label = "正文"
