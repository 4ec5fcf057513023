"""Vocabularies of the information resource catalogue (GB/T 21063.3; 发改高技〔2017〕1272号)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueKind(models.TextChoices):
    """The first level (类) of the classification; its code is the first digit of a resource code."""

    BASE = "1", _("基础信息资源")
    THEME = "2", _("主题信息资源")
    DEPARTMENT = "3", _("部门信息资源")


class Sharing(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("无条件共享")
    CONDITIONAL = "conditional", _("有条件共享")
    NONE = "none", _("不予共享")


class SharingMethod(models.TextChoices):
    INTERFACE = "interface", _("接口服务")
    EXCHANGE = "exchange", _("库表交换")
    FILE = "file", _("文件下载")
    QUERY = "query", _("在线查询")


class Openness(models.TextChoices):
    OPEN = "open", _("无条件开放")
    CONDITIONAL = "conditional", _("有条件开放")
    CLOSED = "closed", _("不予开放")


class ResourceFormat(models.TextChoices):
    FILE = "file", _("电子文件")
    SPREADSHEET = "spreadsheet", _("电子表格")
    DATABASE = "database", _("数据库")
    IMAGE = "image", _("图形图像")
    STREAM = "stream", _("流媒体")
    SELF_DESCRIBING = "self_describing", _("自描述格式")
    OTHER = "other", _("其他")


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("实时")
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    IRREGULAR = "irregular", _("不定期")


class DataType(models.TextChoices):
    """信息项数据类型 (the guide's letter codes, the common subset)."""

    STRING = "C", _("字符型")
    NUMBER = "N", _("数值型")
    INTEGER = "I", _("整型")
    DATE = "D", _("日期型")
    DATETIME = "T", _("日期时间型")
    BOOLEAN = "L", _("逻辑型")
    MONEY = "Y", _("货币型")
    BINARY = "B", _("二进制")
