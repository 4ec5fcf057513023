"""Turn raw cell values (text from CSV, typed values from Excel and JSON) into field values.

Each parser raises ``CellError`` with a Chinese message naming what was wrong.
"""

import datetime
import re

from cms.catalogue.choices import DataType
from cms.catalogue.codes import normalize_code

from .columns import CODE_SEPARATORS, DATA_ITEM_PARTS, unguard_formula

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, optionally followed by a time (Excel adds 00:00:00).
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0, counting its phantom 1900-02-29


class CellError(ValueError):
    pass


def text(value):
    """Any cell as trimmed text; whole numbers from Excel lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    if isinstance(value, list | dict):
        raise CellError("应为文字，不能是列表或对象")
    result = unguard_formula(str(value).strip())
    if _CONTROL.search(result):
        raise CellError("含有无法识别的控制字符")
    return result


def choice(value, choices):
    """The stored value for a Chinese label (无条件开放) or a value (open), in any case."""
    raw = text(value)
    compact = "".join(raw.split())
    for stored, label in choices.choices:
        if compact in (str(label), stored) or compact.lower() == stored.lower():
            return stored
    allowed = "、".join(str(label) for label in choices.labels)
    raise CellError(f"“{raw}”不是可选值，应为：{allowed}")


def date(value):
    """2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301, an Excel date or an Excel day number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel date whose cell lost its date format arrives as a day count.
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(f"“{value}”不是有效日期")
    raw = text(value)
    match = _DATE.match(raw) or _COMPACT_DATE.match(raw)
    if not match:
        raise CellError(f"“{raw}”不是有效日期，应写作 2025-03-01、2025/3/1 或 2025年3月1日")
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(f"“{raw}”不是有效日期（月份或日期超出范围）") from None


def codes(value):
    """关联资源代码: a list (JSON) or codes separated by spaces, commas, semicolons or 、."""
    if isinstance(value, list):
        return [normalize_code(text(item)) for item in value if text(item)]
    return [normalize_code(part) for part in CODE_SEPARATORS.split(text(value)) if part]


def data_items(value):
    """信息项 → ``[(name, data_type, description), …]``.

    Text: one "名称:类型:说明" entry per line; a cell without line breaks may separate entries with
    semicolons instead (so an exported description containing ";" still round-trips). The type is
    a label (字符型) or a letter (C) and may be left out (字符型). JSON: a list of
    ``{"name", "type", "description"}`` objects (or the same with 名称/类型/说明) or of strings.
    """
    if isinstance(value, list):
        entries = value
    else:
        raw = text(value)
        entries = raw.splitlines() if "\n" in raw else re.split(r"[;；]", raw)
    items, problems = [], []
    for position, entry in enumerate((e for e in entries if not _blank_entry(e)), start=1):
        try:
            items.append(_data_item(entry))
        except CellError as error:
            problems.append(f"第 {position} 项{error}")
    if problems:
        raise CellError("；".join(problems))
    return items


def _blank_entry(entry):
    return entry is None or (isinstance(entry, str) and not entry.strip())


def _data_item(entry):
    if isinstance(entry, dict):
        name = text(entry.get("name", entry.get("名称")))
        kind = text(entry.get("type", entry.get("data_type", entry.get("类型"))))
        description = text(entry.get("description", entry.get("说明")))
    elif isinstance(entry, str):
        parts = [part.strip() for part in DATA_ITEM_PARTS.split(entry.strip(), maxsplit=2)]
        name, kind, description = (parts + ["", ""])[:3]
    else:
        raise CellError("应为“名称:类型:说明”或对象")
    if not name:
        raise CellError("缺少信息项名称（应写作“名称:类型:说明”）")
    try:
        data_type = choice(kind, DataType) if kind else DataType.STRING
    except CellError as error:
        raise CellError(f"“{name}”的数据类型{error}") from None
    return name, data_type, description
