"""Import a file of resources: read, check every row, then write all of it in one transaction
(or, if asked, only the good rows), and report."""

from collections import defaultdict

from django.db import DatabaseError, transaction
from django.utils import translation

from cms.catalogue.codes import normalize_code
from cms.catalogue.models import DataItem

from .permissions import Rights
from .readers import MAX_BYTES, FileProblem, read_table
from .report import ImportReport
from .rows import Lookups, parse_row


def read_upload(upload):
    """The bytes of an uploaded file or an open binary file, refusing to read far past the limit."""
    data = upload.read(MAX_BYTES + 1)
    return data if isinstance(data, bytes) else data.encode()


def import_resources(data, *, user=None, import_good_rows=False, filename=""):
    """Import ``data`` (the file's bytes) acting as ``user`` (``None``: the system, may do everything).

    A file with any bad row writes nothing unless ``import_good_rows``. Returns an ``ImportReport``.
    """
    report = ImportReport(filename=filename)
    # Django's validation messages follow the active language; the report is always Chinese.
    with translation.override("zh-hans"):
        try:
            table = read_table(data)
        except FileProblem as problem:
            report.file_errors.append(str(problem))
            return report
        report.kind, report.unit, report.total = table.kind, table.unit, len(table.rows)
        if table.ignored_headers:
            report.warnings.append(f"未识别的列已忽略：{'、'.join(table.ignored_headers)}")
        rows = _check(table, Rights(user))
        for row in rows:
            if row.reasons:
                report.add_bad_row(row.number, row.code, row.name, row.reasons)
        good = [row for row in rows if not row.reasons]
        if not good or (report.bad_rows and not import_good_rows):
            return report
        try:
            _save(good)
        except DatabaseError as error:
            report.file_errors.append(f"保存时数据库出错，未导入任何数据（{error.__class__.__name__}）")
            return report
        report.imported = True
        report.created = sum(1 for row in good if row.created)
        report.updated = len(good) - report.created
    return report


def _check(table, rights):
    codes = (normalize_code(row.values.get("code")) for row in table.rows)
    lookups = Lookups(code for code in codes if code)
    rows = [parse_row(source, lookups, rights) for source in table.rows]
    # A code twice in one file: which row is meant is anyone's guess, so neither is imported.
    numbers = defaultdict(list)
    for row in rows:
        if row.code:
            numbers[row.code].append(row.number)
    for row in rows:
        others = numbers.get(row.code, [])
        if len(others) > 1:
            listed = "、".join(str(n) for n in others)
            row.reasons.append(f"资源代码“{row.code}”在文件中重复出现（第 {listed} {table.unit}）")
    return rows


@transaction.atomic
def _save(rows):
    # The data items go in bulk rather than through modelcluster's per-item commit: a file of
    # 50,000 rows makes hundreds of thousands of them.
    replaced, items = [], []
    for row in rows:
        row.created = row.creates
        row.resource.save()
        if row.data_items is None:
            continue  # no 信息项 for this row in the file: keep the stored ones
        if not row.created:
            replaced.append(row.resource.pk)
        items += [
            DataItem(
                resource=row.resource, sort_order=order, name=name, data_type=data_type, description=text
            )
            for order, (name, data_type, text) in enumerate(row.data_items)
        ]
    for start in range(0, len(replaced), 500):
        DataItem.objects.filter(resource_id__in=replaced[start : start + 500]).delete()
    DataItem.objects.bulk_create(items, batch_size=1000)
