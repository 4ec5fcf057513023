from django.db import models


class ItemType(models.TextChoices):
    """事项类型 (the national list of government service item types)."""

    LICENSING = "licensing", "行政许可"
    PAYMENT = "payment", "行政给付"
    CONFIRMATION = "confirmation", "行政确认"
    ADJUDICATION = "adjudication", "行政裁决"
    REWARD = "reward", "行政奖励"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class Audience(models.TextChoices):
    PERSON = "person", "个人"
    ORGANISATION = "organisation", "法人"


class OnlineLevel(models.TextChoices):
    """Whether and how a service can be done online (网办深度)."""

    OFFLINE = "offline", "仅限窗口办理"
    BOOKING = "booking", "网上预约，窗口办理"
    ONLINE = "online", "网上申请，现场领取结果"
    FULL = "full", "全程网办"


ONLINE_APPLICATION_LEVELS = (OnlineLevel.ONLINE, OnlineLevel.FULL)


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件和复印件"
    ELECTRONIC = "electronic", "电子材料"


class TopicKind(models.TextChoices):
    TOPIC = "topic", "主题"
    LIFE_EVENT = "life_event", "人生事件"
    BUSINESS_EVENT = "business_event", "企业事件"


# File types an applicant may upload, by the name editors pick; checked by content (cms.casework.uploads).
UPLOAD_TYPE_CHOICES = [
    ("pdf", "PDF"),
    ("jpg", "JPEG 图片"),
    ("png", "PNG 图片"),
    ("docx", "Word 文档 (docx)"),
    ("xlsx", "Excel 表格 (xlsx)"),
    ("ofd", "OFD 版式文档"),
]
DEFAULT_UPLOAD_TYPES = "pdf,jpg,png"
# The largest per-file limit an editor may set on a material (the whole request has its own cap).
MAX_UPLOAD_MB = 20
