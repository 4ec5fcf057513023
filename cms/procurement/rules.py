"""Timing rules an editor's notice must meet (domain.md; check the cited regulation before changing a number).

Each check returns ``{field: message}``; the message quotes the rule, so the editor sees why. ``now`` is
the moment of saving or submitting. Values already published are not re-checked against the clock (a
published deadline may lie in the past by now); only new or changed ones are.
"""

import datetime

from django.utils import timezone

from cms.casework import workdays
from cms.procurement.choices import Method

TENDER_MIN_DAYS = 20
DOCUMENTS_MIN_WORKDAYS = 5
CONSULTATION_MIN_DAYS = 10
NEGOTIATION_MIN_WORKDAYS = 3
CORRECTION_MIN_DAYS = 15
AWARD_MAX_WORKDAYS = 2

RULE_TENDER_DAYS = (
    "《中华人民共和国政府采购法》第三十五条：货物和服务项目实行招标方式采购的，自招标文件开始发出之日起"
    "至投标人提交投标文件截止之日止，不得少于二十日。"
)
RULE_DOCUMENTS_DAYS = (
    "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条：招标文件的提供期限自开始之日起"
    "不得少于5个工作日。"
)
RULE_OPENING = (
    "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十九条：开标应当在招标文件确定的"
    "提交投标文件截止时间的同一时间进行。"
)
RULE_CONSULTATION_DAYS = (
    "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条：从磋商文件发出之日起至"
    "供应商提交首次响应文件截止之日止不得少于10日。"
)
RULE_NEGOTIATION_DAYS = (
    "《政府采购非招标采购方式管理办法》（财政部令第74号）：从谈判文件或者询价通知书发出之日起至"
    "供应商提交首次响应文件截止之日止不得少于3个工作日。"
)
RULE_CORRECTION = (
    "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十七条：澄清或者修改的内容可能影响"
    "投标文件编制的，应当在投标截止时间至少15日前通知所有获取招标文件的潜在投标人；不足15日的，"
    "应当顺延提交投标文件的截止时间。"
)
RULE_AWARD = (
    "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十九条：采购人或者采购代理机构应当"
    "自中标人确定之日起2个工作日内公告中标结果。"
)

BID_METHODS = (Method.OPEN, Method.SELECTIVE)


def _fmt(moment):
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def _date(moment):
    return timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment


def check_tender(method, documents_from, documents_until, bid_deadline, opening_at, now, changed=None):
    """``changed``: names of the fields that differ from the published version (None: all are new)."""
    errors = {}
    changed = set(changed) if changed is not None else {"documents_from", "bid_deadline", "opening_at"}
    if None in (documents_from, documents_until, bid_deadline, opening_at):
        return errors  # the form reports missing values itself
    if "bid_deadline" in changed and bid_deadline <= now:
        errors["bid_deadline"] = f"投标（响应）截止时间 {_fmt(bid_deadline)} 已经过去，请填写将来的时间。"
    if "documents_from" in changed and _date(documents_from) < _date(now):
        errors["documents_from"] = "获取采购文件的开始时间不能早于今天。"
    if documents_until <= documents_from:
        errors["documents_until"] = "获取采购文件的截止时间必须晚于开始时间。"
    if documents_until > bid_deadline:
        errors["documents_until"] = "获取采购文件的截止时间不能晚于投标截止时间。"
    if opening_at < bid_deadline:
        errors["opening_at"] = f"开标时间不能早于投标截止时间。{RULE_OPENING}"
    if method in BID_METHODS:
        earliest = documents_from + datetime.timedelta(days=TENDER_MIN_DAYS)
        if bid_deadline < earliest:
            errors.setdefault(
                "bid_deadline",
                f"投标截止时间最早为 {_fmt(earliest)}（距文件发出不少于{TENDER_MIN_DAYS}日）。"
                f"{RULE_TENDER_DAYS}",
            )
        last_day = workdays.add_workdays(_date(documents_from), DOCUMENTS_MIN_WORKDAYS - 1)
        if _date(documents_until) < last_day:
            errors.setdefault(
                "documents_until",
                f"获取采购文件的期限至少到 {last_day:%Y年%m月%d日}"
                f"（不少于{DOCUMENTS_MIN_WORKDAYS}个工作日）。"
                f"{RULE_DOCUMENTS_DAYS}",
            )
        if opening_at != bid_deadline:
            errors.setdefault("opening_at", f"开标时间应与投标截止时间相同。{RULE_OPENING}")
    elif method == Method.CONSULTATION:
        earliest = documents_from + datetime.timedelta(days=CONSULTATION_MIN_DAYS)
        if bid_deadline < earliest:
            errors.setdefault(
                "bid_deadline", f"响应文件截止时间最早为 {_fmt(earliest)}。{RULE_CONSULTATION_DAYS}"
            )
    elif method in (Method.NEGOTIATION, Method.INQUIRY):
        last_day = workdays.add_workdays(_date(documents_from), NEGOTIATION_MIN_WORKDAYS)
        if _date(bid_deadline) < last_day:
            errors.setdefault(
                "bid_deadline", f"响应文件截止时间最早为 {last_day:%Y年%m月%d日}。{RULE_NEGOTIATION_DAYS}"
            )
    return errors


def check_correction(method, current_deadline, affects_bids, new_bid_deadline, new_opening_at, now):
    """``current_deadline``: the deadline in force before this correction (tender and earlier corrections)."""
    errors = {}
    if new_bid_deadline is not None and new_bid_deadline <= now:
        errors["new_bid_deadline"] = f"新的投标截止时间 {_fmt(new_bid_deadline)} 已经过去，请填写将来的时间。"
        return errors
    if new_bid_deadline is not None and new_opening_at is not None and new_opening_at < new_bid_deadline:
        errors["new_opening_at"] = f"开标时间不能早于投标截止时间。{RULE_OPENING}"
    if current_deadline is not None and current_deadline <= now and new_bid_deadline is None:
        errors["new_bid_deadline"] = "投标截止时间已过，更正公告须同时确定新的截止时间（或发布终止公告）。"
        return errors
    if not affects_bids or current_deadline is None:
        return errors
    deadline = new_bid_deadline or current_deadline
    earliest = now + datetime.timedelta(days=CORRECTION_MIN_DAYS)
    if method in BID_METHODS and deadline < earliest:
        errors["new_bid_deadline"] = (
            f"本次更正影响投标文件编制，距投标截止时间 {_fmt(deadline)} 不足{CORRECTION_MIN_DAYS}日，"
            f"截止时间须顺延至 {_fmt(earliest)} 以后。{RULE_CORRECTION}"
        )
    return errors


def award_deadline(decided_on):
    """The last day on which an award decided on ``decided_on`` may be published on time."""
    return workdays.add_workdays(decided_on, AWARD_MAX_WORKDAYS)


def check_award(decided_on, now):
    errors = {}
    if decided_on is not None and decided_on > _date(now):
        errors["decided_on"] = "中标（成交）确定日期不能晚于今天。"
    return errors
