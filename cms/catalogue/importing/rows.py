"""One source row → an unsaved Resource (new, or the existing one with that code) and its data items,
or the reasons it cannot be imported. Nothing here writes to the database."""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from cms.catalogue.codes import RESOURCE_CODE_RE, normalize_code
from cms.catalogue.models import DataItem, Resource, ResourceClass
from cms.core.models import Department

from . import values
from .columns import BY_FIELD, COLUMNS


@dataclass
class ParsedRow:
    number: int
    code: str = ""
    name: str = ""
    resource: Resource | None = None
    data_items: list | None = None  # None: the file has no 信息项 for this row, keep the existing ones
    reasons: list = field(default_factory=list)
    created: bool = False  # set when saved

    @property
    def creates(self):
        return self.resource is not None and self.resource.pk is None


class Lookups:
    """Departments, classes and the resources already registered under the file's codes, read once."""

    def __init__(self, codes):
        self.departments = {}
        for department in Department.objects.all():
            for key in {department.slug.lower(), department.name, department.short_name, department.org_code}:
                if key:
                    self.departments.setdefault(key, []).append(department)
        self.classes = {node.code: node for node in ResourceClass.objects.all()}
        self.existing = {}
        codes = sorted(set(codes))
        for start in range(0, len(codes), 500):  # stay under SQLite's bound-parameter limit
            chunk = codes[start : start + 500]
            for resource in Resource.objects.with_relations().filter(code__in=chunk):
                self.existing[resource.code] = resource

    def department(self, raw):
        found = self.departments.get(raw) or self.departments.get(raw.lower()) or []
        if len(found) > 1:
            raise values.CellError(f"“{raw}”对应多个部门，请填写部门全称或代号")
        if not found:
            raise values.CellError(f"找不到部门“{raw}”，请填写部门全称、简称或代号")
        return found[0]

    def classification(self, code, derived=False):
        node = self.classes.get(code)
        if node is None:
            where = "（由资源代码得出）" if derived else ""
            raise values.CellError(f"资源分类“{code}”{where}不存在，请先在资源分类中添加")
        if node.level < 2:
            raise values.CellError(f"资源分类“{code}”是一级分类（类），资源应登记在项、目或细目下")
        return node


def parse_row(source, lookups, rights):
    row = ParsedRow(source.number)
    if source.problem:
        row.reasons.append(source.problem)
        return row
    cells = source.values
    failed = set()

    def fail(column, message):
        failed.add(column.field)
        row.reasons.append(f"{column.header}：{message}")

    try:
        row.code = normalize_code(values.text(cells.get("code")))
        row.name = values.text(cells.get("name"))
    except values.CellError:
        pass  # reported with the other cells below
    existing = lookups.existing.get(row.code)
    resource = existing or Resource()
    row.resource = resource
    # Read before the row's cells overwrite it: the rights check needs the stored department.
    stored_department = existing.department if existing else None

    for column in COLUMNS:
        if column.field not in cells:
            if column.required and existing is None:
                fail(column, "缺少必填项")
            continue
        raw = cells[column.field]
        if _blank(raw):
            if column.required:
                fail(column, "不能为空")
            else:
                _clear(resource, row, column.field)
            continue
        try:
            _apply(resource, row, column, raw, lookups)
        except values.CellError as error:
            fail(column, str(error))

    if "classification" not in failed and _blank(cells.get("classification")):
        match = RESOURCE_CODE_RE.match(row.code)
        if match:
            try:
                resource.classification = lookups.classification(match["front"], derived=True)
            except values.CellError as error:
                fail(BY_FIELD["classification"], str(error))

    _check_rights(row, stored_department, rights, failed)
    _validate(row, failed)
    return row


def _blank(raw):
    return raw is None or raw == [] or (isinstance(raw, str) and not raw.strip())


def _clear(resource, row, name):
    """A blank optional cell: blank where the model allows it, the model's default otherwise."""
    if name == "data_items":
        row.data_items = []
    elif name == "related_codes":
        resource.related_codes = []
    elif name == "classification":
        pass  # taken from the code
    else:
        model_field = Resource._meta.get_field(name)
        setattr(resource, name, "" if model_field.blank else model_field.get_default())


def _apply(resource, row, column, raw, lookups):
    name = column.field
    if column.choices is not None:
        setattr(resource, name, values.choice(raw, column.choices))
    elif name == "code":
        resource.code = row.code
    elif name == "classification":
        resource.classification = lookups.classification(normalize_code(values.text(raw)))
    elif name == "department":
        resource.department = lookups.department(values.text(raw))
    elif name == "released_on":
        resource.released_on = values.date(raw)
    elif name == "related_codes":
        resource.related_codes = values.codes(raw)
    elif name == "data_items":
        row.data_items = values.data_items(raw)
    else:
        setattr(resource, name, values.text(raw))


def _check_rights(row, stored_department, rights, failed):
    if stored_department is not None:
        if not rights.may_change:
            row.reasons.append(f"资源代码“{row.code}”已存在，您没有修改已有资源的权限")
        elif not rights.may_use(stored_department):
            # The stored department, not the row's: or a row could move another department's
            # resource into the editor's own.
            row.reasons.append(
                f"资源代码“{row.code}”已由“{stored_department.display_name}”登记，您只能修改本部门的资源"
            )
    elif not rights.may_add:
        row.reasons.append("您没有新增资源的权限")
    department = row.resource.department if row.resource.department_id else None
    if department is not None and "department" not in failed and not rights.may_use(department):
        row.reasons.append(f"资源提供方：您不能导入“{department.display_name}”的资源，只能导入本部门的资源")


def _validate(row, failed):
    """The model's own validation (lengths, code format, code matches class, related codes), minus
    the fields already reported. Uniqueness is by construction: a known code updates its resource."""
    resource = row.resource
    # The two foreign keys come from Lookups, so they exist: validating them again would cost two
    # queries a row. A missing one has been reported already (缺少必填项, or taken from the code).
    exclude = {*failed, "department", "classification"}
    try:
        resource.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        row.reasons += _messages(error, lambda name: BY_FIELD[name].header if name in BY_FIELD else name)
    if row.data_items:
        row.reasons += _data_item_problems(row.data_items)
    # One cause can surface twice (the code's own validator and Resource.clean): say it once.
    row.reasons = list(dict.fromkeys(row.reasons))


def _data_item_problems(items):
    problems, seen = [], set()
    for position, (name, data_type, description) in enumerate(items, start=1):
        if name in seen:
            problems.append(f"信息项：第 {position} 项“{name}”与前面的信息项重名")
        seen.add(name)
        try:
            DataItem(name=name, data_type=data_type, description=description).full_clean(
                exclude=["resource", "sort_order"], validate_unique=False
            )
        except ValidationError as error:
            labels = {f.name: f.verbose_name for f in DataItem._meta.fields}
            for message in _messages(error, lambda key, labels=labels: labels.get(key, key)):
                problems.append(f"信息项：第 {position} 项“{name}”的{message}")
    return problems


def _messages(error, label):
    result = []
    for name, messages in error.message_dict.items():
        for message in messages:
            result.append(message if name == NON_FIELD_ERRORS else f"{label(name)}：{message}")
    return result
