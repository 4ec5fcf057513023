from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


def human_size(num_bytes):
    for unit in ("B", "KB", "MB", "GB"):
        if num_bytes < 1024 or unit == "GB":
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1024
    return ""


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    alt = blocks.CharBlock(label="替代文字", help_text="供读屏软件朗读，描述图片内容", max_length=200)
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=200)

    def get_api_representation(self, value, context=None):
        image = value["image"]
        rendition = image.get_rendition("max-1200x1200")
        return {
            "id": image.pk,
            "title": image.title,
            "url": rendition.url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": value["alt"],
            "caption": value["caption"],
        }

    class Meta:
        icon = "image"
        label = "图片"
        template = "blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", required=False, max_length=200)

    def get_api_representation(self, value, context=None):
        return attachment_representation(value["document"], value["title"])

    class Meta:
        icon = "doc-full"
        label = "附件"
        template = "blocks/attachment.html"


def attachment_representation(document, title=""):
    if document is None:
        return None
    size = document.get_file_size() or 0
    return {
        "id": document.pk,
        "title": title or document.title,
        "url": document.url,
        "file_extension": document.file_extension,
        "file_size": size,
        "file_size_display": human_size(size),
    }
