"""Vocabularies of government information disclosure (see domain.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Genre(models.TextChoices):
    # The 15 kinds of official documents, then what portals add.
    JUEYI = "jueyi", _("决议")
    JUEDING = "jueding", _("决定")
    MINGLING = "mingling", _("命令(令)")
    GONGBAO = "gongbao", _("公报")
    GONGGAO = "gonggao", _("公告")
    TONGGAO = "tonggao", _("通告")
    YIJIAN = "yijian", _("意见")
    TONGZHI = "tongzhi", _("通知")
    TONGBAO = "tongbao", _("通报")
    BAOGAO = "baogao", _("报告")
    QINGSHI = "qingshi", _("请示")
    PIFU = "pifu", _("批复")
    YIAN = "yian", _("议案")
    HAN = "han", _("函")
    JIYAO = "jiyao", _("纪要")
    GUIHUA = "guihua", _("规划")
    GONGZUO_DONGTAI = "gongzuodongtai", _("工作动态")
    JIEDU = "jiedu", _("政策解读")
    QITA = "qita", _("其他")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")
    AMENDED = "amended", _("已修改")


class DisclosureMethod(models.TextChoices):
    ACTIVE = "active", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_PUBLIC = "not_public", _("不予公开")


class SortOrder(models.TextChoices):
    NEWEST = "-published", _("发布日期（新→旧）")
    OLDEST = "published", _("发布日期（旧→新）")
    WRITTEN = "-written", _("成文日期（新→旧）")
    TITLE = "title", _("标题")
