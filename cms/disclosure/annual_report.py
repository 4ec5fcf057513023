"""The 2021 national template of the annual report (国办公开办函〔2021〕30号).

A new AnnualReportPage starts with these tables, figures at zero, so editors
only enter numbers. Rows and columns follow the template's wording.
"""

PROACTIVE_TABLES = [
    (
        "第二十条第（一）项",
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "行政规范性文件"],
    ),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["行政许可"]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["行政处罚", "行政强制"]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费"]),
]

REQUEST_COLUMNS = [
    "申请人情况",
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他（法人或其他组织）",
    "总计",
]
REQUEST_ROWS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开 1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供 1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理 1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]

REQUEST_CAPTION = "收到和处理政府信息公开申请情况"

REVIEW_COLUMNS = [
    "行政复议：结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "行政诉讼（未经复议直接起诉）：结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "行政诉讼（复议后起诉）：结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
]

SECTIONS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def table_value(caption, header, rows):
    """A DataTableBlock value: the header row, then one row per label padded with figures."""
    width = len(header)
    data = [list(header)] + [
        (list(row) + ["0"] * width)[:width] if isinstance(row, (list, tuple)) else [row] + ["0"] * (width - 1)
        for row in rows
    ]
    return {
        "caption": caption,
        "table": {
            "data": data,
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "table_caption": caption,
        },
    }


def template_body():
    """StreamField data (block type, value) for a blank report."""
    body = [
        ("heading", {"text": SECTIONS[0], "level": "h2"}),
        ("paragraph", "<p>（请填写本年度政府信息公开工作总体情况。）</p>"),
        ("heading", {"text": SECTIONS[1], "level": "h2"}),
    ]
    body += [("table", table_value(caption, header, rows)) for caption, header, rows in PROACTIVE_TABLES]
    body += [
        ("heading", {"text": SECTIONS[2], "level": "h2"}),
        ("table", table_value(REQUEST_CAPTION, REQUEST_COLUMNS, REQUEST_ROWS)),
        ("heading", {"text": SECTIONS[3], "level": "h2"}),
        ("table", table_value("行政复议、行政诉讼情况", REVIEW_COLUMNS, [["0"] * len(REVIEW_COLUMNS)])),
    ]
    for section in SECTIONS[4:]:
        body += [("heading", {"text": section, "level": "h2"}), ("paragraph", "<p>（请填写。）</p>")]
    return body


def is_request_table(block):
    """Whether a raw body block is table 三 (by its caption, or by its first header cell)."""
    if block.get("type") != "table":
        return False
    value = block.get("value") or {}
    data = (value.get("table") or {}).get("data") or [[]]
    caption = value.get("caption") or (value.get("table") or {}).get("table_caption")
    return caption == REQUEST_CAPTION or bool(data and data[0] and data[0][0] == REQUEST_COLUMNS[0])


def with_request_table(raw_body, rows):
    """A copy of a report body's raw data (list of {"type", "value", "id"}) whose table 三 holds ``rows``
    (label + seven figures each); the table is added after section 三's heading if the body has none."""
    table = {"type": "table", "value": table_value(REQUEST_CAPTION, REQUEST_COLUMNS, rows)}
    body = [dict(block) for block in raw_body]
    for block in body:
        if is_request_table(block):
            block["value"] = table["value"]
            return body
    for index, block in enumerate(body):
        if block.get("type") == "heading" and (block.get("value") or {}).get("text") == SECTIONS[2]:
            return body[: index + 1] + [table] + body[index + 1 :]
    return body + [{"type": "heading", "value": {"text": SECTIONS[2], "level": "h2"}}, table]
