"""Vocabularies of disclosure requests, following the 2021 annual report template (国办公开办函〔2021〕30号),
so the report's table of requests is a plain count over these values."""

from django.db import models


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    COMPANY = "company", "商业企业"
    RESEARCH = "research", "科研机构"
    CHARITY = "charity", "社会公益组织"
    LEGAL = "legal", "法律服务机构"
    OTHER = "other", "其他组织"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    OTHER = "other", "其他有效证件"


class DeliveryForm(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子数据"
    OTHER = "other", "其他"


class DeliveryMethod(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上获取"
    PICKUP = "pickup", "当面领取"


class ReplyKind(models.TextChoices):
    DISCLOSED = "disclosed", "予以公开"
    PARTLY = "partly", "部分公开"
    WITHHELD = "withheld", "不予公开"
    UNAVAILABLE = "unavailable", "无法提供"
    NOT_PROCESSED = "not_processed", "不予处理"
    OTHER = "other", "其他处理"


# The template's sub-rows: why a request was not (fully) answered with the information.
REPLY_REASONS = {
    ReplyKind.WITHHELD: [
        ("state_secret", "属于国家秘密"),
        ("law_forbids", "其他法律行政法规禁止公开"),
        ("security_stability", "危及“三安全一稳定”"),
        ("third_party", "保护第三方合法权益"),
        ("internal_affairs", "属于三类内部事务信息"),
        ("process_info", "属于四类过程性信息"),
        ("enforcement_file", "属于行政执法案卷"),
        ("query_item", "属于行政查询事项"),
    ],
    ReplyKind.UNAVAILABLE: [
        ("not_held", "本机关不掌握相关政府信息"),
        ("must_be_made", "没有现成信息需要另行制作"),
        ("still_unclear", "补正后申请内容仍不明确"),
    ],
    ReplyKind.NOT_PROCESSED: [
        ("petition", "信访举报投诉类申请"),
        ("repeated", "重复申请"),
        ("publication", "要求提供公开出版物"),
        ("excessive", "无正当理由大量反复申请"),
        ("confirmation", "要求行政机关确认或重新出具已获取信息"),
    ],
    ReplyKind.OTHER: [
        ("no_supplement", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("fee_unpaid", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "其他"),
    ],
}
REPLY_REASON_CHOICES = [choice for choices in REPLY_REASONS.values() for choice in choices]
