"""Read an uploaded file into rows of raw cell values. The file type is told by the content, never
by the name: an .xlsx is a zip with [Content_Types].xml, JSON parses, anything else must decode as
CSV text (UTF-8 with or without BOM, UTF-16 "Unicode text", or GB18030 as Chinese Excel writes it).
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

from .columns import EXPORT_ONLY_FIELDS, HEADERS, field_for_header

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# A small zip can hold gigabytes of XML (a zip bomb): refuse before openpyxl starts inflating.
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
# Government spreadsheets often put a title row or two above the header.
HEADER_SEARCH_ROWS = 5
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files


class FileProblem(Exception):
    """The file as a whole cannot be read. The message is for the user."""


@dataclass
class SourceRow:
    number: int  # as the user sees it: the spreadsheet row (header is 1), or the JSON record
    values: dict  # field → raw value, only for the columns this row has
    problem: str = ""  # the row could not be read at all


@dataclass
class Table:
    kind: str
    rows: list
    unit: str = "行"
    ignored_headers: list = field(default_factory=list)


def read_table(data):
    """``bytes`` → ``Table``; raises ``FileProblem`` with a Chinese message."""
    if len(data) > MAX_BYTES:
        raise FileProblem(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 的上限，请分成几个文件导入。")
    if not data.strip():
        raise FileProblem("文件是空的。")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(_OLE_SIGNATURE):
        raise FileProblem("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入。")
    text = _decode(data)
    if text.lstrip().startswith(("[", "{")):
        return _read_json(text)
    return _read_csv(text)


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:  # binary data that happens to decode
            break
        return text.lstrip("\ufeff")
    raise FileProblem("无法识别文件内容。请上传 CSV（UTF-8 或 GBK 编码）、Excel（.xlsx）或 JSON 文件。")


def _read_csv(text):
    first_line = text.lstrip().split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)  # Excel writes tabs for "Unicode text", ";" in some locales
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Excel numbers a record with a line break inside a cell as one row: count records, not lines.
        return _table("CSV", enumerate(reader, start=1))
    except csv.Error:
        raise FileProblem(
            f"CSV 格式不正确（第 {reader.line_num} 行附近）：请检查引号是否成对、单元格是否过长。"
        ) from None


def _read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileProblem("Excel 文件已损坏，无法读取。") from None
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise FileProblem("这是一个压缩文件，不是 Excel（.xlsx）文件。")
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise FileProblem("Excel 文件解压后过大，请删除无关的工作表或分成几个文件导入。")

    from openpyxl import load_workbook  # only imports need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a broken file
        raise FileProblem("Excel 文件已损坏或格式不受支持，无法读取。") from None
    try:
        if not workbook.worksheets:
            raise FileProblem("Excel 文件中没有工作表。")
        sheet = workbook.worksheets[0]  # the first sheet, not whichever was open when it was saved
        return _table("Excel", enumerate(sheet.iter_rows(values_only=True), start=1))
    except FileProblem:
        raise
    except Exception:  # noqa: BLE001 - the sheet is parsed lazily, so a broken one fails here
        raise FileProblem("Excel 文件已损坏或格式不受支持，无法读取。") from None
    finally:
        workbook.close()


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _table(kind, numbered_records):
    """Find the header among the first rows, then map every later row's cells to fields."""
    fields = None
    ignored = []
    rows = []
    for number, cells in numbered_records:
        if all(_is_blank(cell) for cell in cells):
            continue
        if fields is None:
            if number > HEADER_SEARCH_ROWS:
                break
            fields, ignored = _header(cells)
            continue
        values = {name: cells[i] for i, name in enumerate(fields) if name and i < len(cells)}
        # A row shorter than the header still "has" the missing columns, just blank.
        values.update({name: None for name in fields if name and name not in values})
        rows.append(SourceRow(number, values))
        if len(rows) > MAX_ROWS:
            raise FileProblem(f"文件超过 {MAX_ROWS} 行的上限，请分成几个文件导入。")
    if fields is None:
        raise FileProblem(
            f"没有找到表头：文件前 {HEADER_SEARCH_ROWS} 行中没有“{HEADERS[0]}”“{HEADERS[1]}”等列名。"
            "请按导入模板填写 CSV、Excel（.xlsx）或 JSON 文件。"
        )
    return Table(kind, rows, ignored_headers=ignored)


def _header(cells):
    """The fields of a header row, or ``(None, [])`` if the row is not one (e.g. a title row)."""
    fields, ignored, seen = [], [], set()
    for cell in cells:
        name = None if _is_blank(cell) else field_for_header(cell)
        if name in seen:
            raise FileProblem(f"表头中“{cell}”列重复出现。")
        if name:
            seen.add(name)
        elif not _is_blank(cell) and str(cell).strip() not in EXPORT_ONLY_FIELDS:
            ignored.append(str(cell).strip())
        fields.append(name)
    if len(seen) < 2:
        return None, []
    return fields, ignored


def _read_json(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(f"JSON 格式不正确：第 {error.lineno} 行第 {error.colno} 列附近有错误。") from None
    except RecursionError:
        raise FileProblem("JSON 嵌套层数过多，无法读取。") from None
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        data = data["resources"]
    if not isinstance(data, list):
        raise FileProblem('JSON 文件应为资源对象的列表，例如 [{"资源名称": "…", "资源代码": "…"}]。')
    if len(data) > MAX_ROWS:
        raise FileProblem(f"文件超过 {MAX_ROWS} 条记录的上限，请分成几个文件导入。")
    rows, ignored = [], []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append(SourceRow(number, {}, problem='该条记录不是对象（应为 {"键": 值, …}）。'))
            continue
        values = {}
        for key, value in item.items():
            name = field_for_header(key)
            if name:
                values[name] = value
            elif key not in EXPORT_ONLY_FIELDS and key not in ignored:
                ignored.append(key)
        rows.append(SourceRow(number, values))
    return Table("JSON", rows, unit="条", ignored_headers=ignored)
