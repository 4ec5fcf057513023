"""Resource codes (资源代码): ``<前段码>/<后段码>``.

前段码 is the code of the resource's classification: 类 (1 digit, 1 基础 / 2 主题 / 3 部门), 项 (2),
目 (3), 细目 (3), so 3, 6 or 9 digits; 后段码 is a 6-digit sequence within that classification.
Examples: ``101/000001`` (a 项), ``302001/000015`` (a 目), ``201002003/000120`` (a 细目).
"""

import re

from django.core.exceptions import ValidationError

CLASS_CODE_RE = re.compile(r"^[1-3](?:\d{2})(?:\d{3}){0,2}$")
RESOURCE_CODE_RE = re.compile(r"^(?P<front>[1-3]\d{2}(?:\d{3}){0,2})/(?P<seq>\d{6})$")
LEVEL_LENGTHS = {1: 1, 2: 3, 3: 6, 4: 9}  # 类 项 目 细目 → digits of the class code
LEVEL_NAMES = {1: "类", 2: "项", 3: "目", 4: "细目"}


def normalize_code(value):
    """Full-width digits and slashes (typed with a Chinese IME) become ASCII; spaces go."""
    value = str(value or "").strip()
    table = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９／"}
    return "".join(value.translate(table).split())


def split_code(code):
    """``"302001/000015"`` → ``("302001", "000015")``; raises ValidationError with a Chinese message."""
    match = RESOURCE_CODE_RE.match(normalize_code(code))
    if not match:
        raise ValidationError(
            "资源代码格式应为“分类代码/6位顺序码”，分类代码为3、6或9位数字且以1、2或3开头，"
            "例如 302001/000015。",
            code="invalid_resource_code",
        )
    return match["front"], match["seq"]


def validate_resource_code(value):
    split_code(value)


def validate_class_code(value):
    if not CLASS_CODE_RE.match(str(value or "")) and not re.fullmatch(r"[1-3]", str(value or "")):
        raise ValidationError("分类代码应为1、3、6或9位数字，且以1、2或3开头。", code="invalid_class_code")


def level_of(class_code):
    for level, length in LEVEL_LENGTHS.items():
        if len(class_code) == length:
            return level
    raise ValueError(class_code)


def parent_code(class_code):
    level = level_of(class_code)
    return class_code[: LEVEL_LENGTHS[level - 1]] if level > 1 else None
