"""The one column schema of resource files, shared by the importer and the exporters.

CSV and XLSX files use the Chinese headers; JSON uses the English field names. Either is accepted
as a header everywhere, so a file written by the export imports again unchanged.
"""

import re
from dataclasses import dataclass

from cms.catalogue.choices import Openness, ResourceFormat, Sharing, SharingMethod, UpdateCycle


@dataclass(frozen=True)
class Column:
    field: str  # the Resource field, and the JSON key
    header: str  # the Chinese header of CSV and XLSX files
    required: bool = False
    choices: type | None = None
    # Shown to the public even for a 不予开放 resource (see Resource.shows_details): what identifies
    # it. Everything else is left out of public exports for such a resource, new columns included.
    identifying: bool = False


COLUMNS = (
    Column("name", "资源名称", required=True, identifying=True),
    Column("code", "资源代码", required=True, identifying=True),
    Column("classification", "资源分类代码", identifying=True),
    Column("department", "资源提供方", required=True, identifying=True),
    Column("summary", "资源摘要"),
    Column("resource_format", "资源格式", choices=ResourceFormat),
    Column("format_detail", "格式说明"),
    Column("sharing", "共享属性", required=True, choices=Sharing),
    Column("sharing_conditions", "共享条件"),
    Column("sharing_method", "共享方式", choices=SharingMethod),
    Column("openness", "开放属性", required=True, choices=Openness, identifying=True),
    Column("open_conditions", "开放条件"),
    Column("update_cycle", "更新周期", choices=UpdateCycle, identifying=True),
    Column("released_on", "发布日期", required=True, identifying=True),
    Column("related_codes", "关联资源代码"),
    Column("keywords", "关键词"),
    Column("data_items", "信息项"),
)
BY_FIELD = {column.field: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]
FIELDS = [column.field for column in COLUMNS]

# Other names people give these columns in their own spreadsheets.
ALIASES = {"资源分类": "classification", "提供方": "department", "资源提供部门": "department"}
# Keys the JSON export adds for readers; importing them again is not an error.
EXPORT_ONLY_FIELDS = frozenset({"url", "department_name", "classification_name", "updated_at"})

# Entries of the 信息项 cell: "名称:类型:说明", one per line (or separated by semicolons).
DATA_ITEM_SEPARATOR = "\n"
DATA_ITEM_PARTS = re.compile(r"[:：]")
# Codes in the 关联资源代码 cell.
CODE_SEPARATORS = re.compile(r"[\s,，;；、]+")

_HEADER_NOISE = re.compile(r"[\s*＊]|[（(]必填[)）]")


def field_for_header(header):
    """The field a header names, or ``None``. 资源名称, name, "资源名称（必填）" and "资源名称*" all
    name the same field."""
    text = _HEADER_NOISE.sub("", str(header or "")).lstrip("\ufeff")
    if text in BY_FIELD:
        return text
    for column in COLUMNS:
        if text == column.header:
            return column.field
    return ALIASES.get(text) or (text.lower() if text.lower() in BY_FIELD else None)


# A cell starting with one of these runs as a formula when the CSV is opened in Excel (CSV injection),
# so the export prefixes it with an apostrophe and the import takes that apostrophe off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text):
    return "'" + text if text.startswith(_FORMULA_START) else text


def unguard_formula(text):
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text
