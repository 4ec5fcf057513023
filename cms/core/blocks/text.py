from django.utils.text import slugify
from wagtail import blocks
from wagtail.rich_text import expand_db_html

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class PortalRichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        # Headless clients get real links, not Wagtail's internal <a linktype=...> markup.
        return expand_db_html(value.source)

    class Meta:
        icon = "pilcrow"
        label = "正文"
        template = "blocks/rich_text.html"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="标题", max_length=120)
    level = blocks.ChoiceBlock(
        label="级别", choices=[("h2", "二级标题"), ("h3", "三级标题"), ("h4", "四级标题")], default="h2"
    )

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": value["level"], "anchor": self.anchor(value)}

    @staticmethod
    def anchor(value):
        return slugify(value["text"], allow_unicode=True)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["anchor"] = self.anchor(value)
        return context

    class Meta:
        icon = "title"
        label = "小标题"
        template = "blocks/heading.html"


class NoticeBlock(blocks.StructBlock):
    """A highlighted notice (提示 / 重要 / 警示) inside a page."""

    level = blocks.ChoiceBlock(
        label="类型",
        choices=[("info", "提示"), ("important", "重要"), ("warning", "警示")],
        default="info",
    )
    title = blocks.CharBlock(label="标题", required=False, max_length=60)
    text = PortalRichTextBlock(label="内容")

    def get_api_representation(self, value, context=None):
        return {
            "level": value["level"],
            "title": value["title"],
            "text": expand_db_html(value["text"].source),
        }

    class Meta:
        icon = "warning"
        label = "提示框"
        template = "blocks/notice.html"
