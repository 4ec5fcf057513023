"""Vocabularies of government information disclosure (see domain.md)."""

from django.db import models


class Genre(models.TextChoices):
    # The 15 kinds of official documents, then what portals add.
    JUEYI = "jueyi", "决议"
    JUEDING = "jueding", "决定"
    MINGLING = "mingling", "命令(令)"
    GONGBAO = "gongbao", "公报"
    GONGGAO = "gonggao", "公告"
    TONGGAO = "tonggao", "通告"
    YIJIAN = "yijian", "意见"
    TONGZHI = "tongzhi", "通知"
    TONGBAO = "tongbao", "通报"
    BAOGAO = "baogao", "报告"
    QINGSHI = "qingshi", "请示"
    PIFU = "pifu", "批复"
    YIAN = "yian", "议案"
    HAN = "han", "函"
    JIYAO = "jiyao", "纪要"
    GUIHUA = "guihua", "规划"
    GONGZUO_DONGTAI = "gongzuodongtai", "工作动态"
    JIEDU = "jiedu", "政策解读"
    QITA = "qita", "其他"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"
    AMENDED = "amended", "已修改"


class DisclosureMethod(models.TextChoices):
    ACTIVE = "active", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class SortOrder(models.TextChoices):
    NEWEST = "-published", "发布日期（新→旧）"
    OLDEST = "published", "发布日期（旧→新）"
    WRITTEN = "-written", "成文日期（新→旧）"
    TITLE = "title", "标题"
