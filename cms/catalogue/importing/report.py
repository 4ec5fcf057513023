"""What an import did, or would have done: counts, and every bad row with every reason."""

from dataclasses import dataclass, field


@dataclass
class BadRow:
    number: int
    code: str
    name: str
    reasons: list


@dataclass
class ImportReport:
    filename: str = ""
    kind: str = ""  # CSV / Excel / JSON
    unit: str = "行"  # JSON files count records (条), spreadsheets rows (行)
    total: int = 0
    created: int = 0
    updated: int = 0
    bad_rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)  # the file could not be read at all
    warnings: list = field(default_factory=list)
    imported: bool = False  # whether anything was written

    @property
    def bad(self):
        return len(self.bad_rows)

    @property
    def good(self):
        return self.total - self.bad

    @property
    def ok(self):
        return not self.file_errors and not self.bad_rows

    def add_bad_row(self, number, code, name, reasons):
        self.bad_rows.append(BadRow(number, code, name, list(reasons)))

    @property
    def summary(self):
        """One sentence saying what happened."""
        if self.file_errors:
            return "文件无法导入：" + "；".join(self.file_errors)
        counts = f"共 {self.total} {self.unit}，正确 {self.good} {self.unit}，错误 {self.bad} {self.unit}"
        if self.imported:
            return f"{counts}；已新增 {self.created} 条资源，更新 {self.updated} 条资源。"
        if self.total == 0:
            return "文件中没有资源数据，未导入。"
        if self.bad:
            return f"{counts}；因存在错误，未导入任何数据。请改正后重新导入，或选择“只导入正确的行”。"
        return f"{counts}；没有可导入的数据。"

    def lines(self):
        """The report as plain text lines (the management command prints these)."""
        yield self.summary
        for warning in self.warnings:
            yield f"提示：{warning}"
        for row in self.bad_rows:
            label = "　".join(part for part in (row.code, row.name) if part)
            yield f"第 {row.number} {self.unit}{f'（{label}）' if label else ''}："
            for reason in row.reasons:
                yield f"  - {reason}"
