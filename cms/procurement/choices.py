"""Procurement vocabularies (domain.md, "Government procurement"), each with its OCDS code."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    OPEN = "open", _("公开招标")
    SELECTIVE = "selective", _("邀请招标")
    NEGOTIATION = "negotiation", _("竞争性谈判")
    CONSULTATION = "consultation", _("竞争性磋商")
    INQUIRY = "inquiry", _("询价")
    SINGLE_SOURCE = "single_source", _("单一来源")
    FRAMEWORK = "framework", _("框架协议采购")


# OCDS method codelist: open / selective / limited / direct.
OCDS_METHOD = {
    Method.OPEN: "open",
    Method.SELECTIVE: "selective",
    Method.NEGOTIATION: "limited",
    Method.CONSULTATION: "limited",
    Method.INQUIRY: "limited",
    Method.SINGLE_SOURCE: "direct",
    Method.FRAMEWORK: "open",  # 框架协议采购 is usually a public solicitation (财政部令第110号)
}


class ProcurementKind(models.TextChoices):
    """The three main kinds of the 政府采购品目分类目录 (OCDS mainProcurementCategory)."""

    GOODS = "goods", _("货物")
    WORKS = "works", _("工程")
    SERVICES = "services", _("服务")


class Category(models.TextChoices):
    """品目: the categories a supplier filters and subscribes to."""

    IT_EQUIPMENT = "it_equipment", _("信息化设备")
    OFFICE = "office", _("办公设备与家具")
    VEHICLES = "vehicles", _("车辆")
    MEDICAL = "medical", _("医疗设备")
    EDUCATION = "education", _("教学仪器设备")
    BUILDING = "building", _("房屋建筑工程")
    MUNICIPAL = "municipal", _("市政道路工程")
    WATER = "water", _("水利工程")
    LANDSCAPING = "landscaping", _("园林绿化工程")
    IT_SERVICES = "it_services", _("信息技术服务")
    PROPERTY = "property", _("物业管理服务")
    CONSULTING = "consulting", _("工程咨询与评估服务")
    SANITATION = "sanitation", _("环境卫生服务")
    CATERING = "catering", _("餐饮服务")
    INSURANCE = "insurance", _("金融保险服务")


CATEGORY_KIND = {
    Category.IT_EQUIPMENT: ProcurementKind.GOODS,
    Category.OFFICE: ProcurementKind.GOODS,
    Category.VEHICLES: ProcurementKind.GOODS,
    Category.MEDICAL: ProcurementKind.GOODS,
    Category.EDUCATION: ProcurementKind.GOODS,
    Category.BUILDING: ProcurementKind.WORKS,
    Category.MUNICIPAL: ProcurementKind.WORKS,
    Category.WATER: ProcurementKind.WORKS,
    Category.LANDSCAPING: ProcurementKind.WORKS,
    Category.IT_SERVICES: ProcurementKind.SERVICES,
    Category.PROPERTY: ProcurementKind.SERVICES,
    Category.CONSULTING: ProcurementKind.SERVICES,
    Category.SANITATION: ProcurementKind.SERVICES,
    Category.CATERING: ProcurementKind.SERVICES,
    Category.INSURANCE: ProcurementKind.SERVICES,
}


class Status(models.TextChoices):
    """Follows from the notices and the clock (``cms.procurement.status``); nobody edits it."""

    UPCOMING = "upcoming", _("即将开始")
    OPEN = "open", _("正在招标")
    CLOSING = "closing", _("即将截止")
    CLOSED = "closed", _("已截止")
    AWARDED = "awarded", _("已成交")
    TERMINATED = "terminated", _("已终止")


class NoticeType(models.TextChoices):
    TENDER = "tender", _("采购公告")
    CORRECTION = "correction", _("更正公告")
    AWARD = "award", _("中标（成交）结果公告")
    TERMINATION = "termination", _("终止公告")
    CONTRACT = "contract", _("合同公告")


class BudgetBand(models.TextChoices):
    """Budget bands for filters and search facets (元)."""

    UNDER_500K = "lt50w", _("50万元以下")
    TO_2M = "50w-200w", _("50万–200万元")
    TO_10M = "200w-1000w", _("200万–1000万元")
    OVER_10M = "gte1000w", _("1000万元及以上")


BAND_LIMITS = (
    (BudgetBand.UNDER_500K, Decimal("0"), Decimal("500000")),
    (BudgetBand.TO_2M, Decimal("500000"), Decimal("2000000")),
    (BudgetBand.TO_10M, Decimal("2000000"), Decimal("10000000")),
    (BudgetBand.OVER_10M, Decimal("10000000"), None),
)


def budget_band(amount):
    if amount is None:
        return ""
    for band, low, high in BAND_LIMITS:
        if amount >= low and (high is None or amount < high):
            return band
    return ""


MAX_BUDGET = Decimal("100000000000")  # 1000亿元: anything larger is a typing mistake
CLOSING_SOON_HOURS = 72  # "即将截止": the bid deadline is less than three days away
