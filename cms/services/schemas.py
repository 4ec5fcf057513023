"""Schemas of the service guide API (/api/zwfw/): they are its OpenAPI documentation, in Chinese."""

import datetime

from ninja import Field, Schema
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from cms.api.schemas import DepartmentRef, _choices, _documented

from .browse import SortOrder
from .choices import UPLOAD_TYPE_CHOICES, Audience, ItemType, MaterialForm, OnlineLevel, TopicKind

# --- query parameters -------------------------------------------------------------------


class GuideQuery(Schema):
    """The filters of /zwfw/, with the same names, values and messages."""

    department: _documented(
        {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
        "实施部门代号（见 /api/departments 的 slug），例如 gaj",
    )
    audience: _documented(
        {"type": "string", "enum": list(Audience.values)},
        f"服务对象：{_choices(Audience.choices)}；同时面向个人和法人的事项两者都算",
    )
    topic: _documented(
        {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
        "主题或人生事件的代号（见 /api/zwfw/topics 的 slug），例如 shengyu",
    )
    online_level: _documented(
        {"type": "string", "enum": list(OnlineLevel.values)}, f"网上办理程度：{_choices(OnlineLevel.choices)}"
    )
    item_type: _documented(
        {"type": "string", "enum": list(ItemType.values)}, f"事项类型：{_choices(ItemType.choices)}"
    )
    sort: _documented(
        {"type": "string", "enum": SortOrder.VALUES},
        f"排序（默认 {SortOrder.DEFAULT}）：{_choices(SortOrder.CHOICES)}",
    )


# --- list -------------------------------------------------------------------------------


class GuideFacetOption(Schema):
    value: str = Field(..., description="筛选参数的取值")
    label: str = Field(..., description="显示名称")
    count: int = Field(..., description="在其余筛选条件下，选择此项后的事项数")
    selected: bool = Field(..., description="当前是否已按此项筛选")


class GuideFacets(Schema):
    department: list[GuideFacetOption] = Field(..., description="按实施部门统计，按部门排列顺序")
    audience: list[GuideFacetOption] = Field(..., description="按服务对象统计（个人、法人）")
    topic: list[GuideFacetOption] = Field(..., description="按主题和人生事件统计")
    online_level: list[GuideFacetOption] = Field(..., description="按网上办理程度统计，全程网办在前")
    item_type: list[GuideFacetOption] = Field(..., description="按事项类型统计")


class ServiceTopicRef(Schema):
    slug: str = Field(..., description="主题代号，用作筛选参数 topic")
    name: str = Field(..., description="主题或人生事件名称")


class GuideItem(Schema):
    id: int = Field(..., description="办事指南编号（与 /api/v2/pages/{id}/ 的页面编号相同）")
    title: str = Field(..., description="事项名称")
    item_code: str = Field(..., description="事项编码（实施编码）")
    url: str = Field(..., description="办事指南页面的完整网址")
    item_type: str = Field(..., description=f"事项类型代码：{_choices(ItemType.choices)}")
    item_type_display: str = Field(..., description="事项类型名称")
    department: DepartmentRef | None = Field(None, description="实施主体（部门）")
    handling_unit: str = Field(..., description="办理机构；与实施主体相同时为部门全称")
    audiences: list[str] = Field(..., description=f"服务对象代码：{_choices(Audience.choices)}")
    audience_display: str = Field(..., description="服务对象，例如 个人、法人")
    topics: list[ServiceTopicRef] = Field(..., description="所属主题和人生事件")
    statutory_days: int = Field(..., description="法定时限（工作日）；0 表示即办件")
    promised_days: int = Field(..., description="承诺时限（工作日）；0 表示即办件（当场办结）")
    is_immediate: bool = Field(..., description="是否即办件（承诺时限为 0）")
    visits: int = Field(..., description="到现场次数；0 表示零跑腿")
    is_free: bool = Field(..., description="是否不收费")
    online_level: str = Field(..., description=f"网上办理程度：{_choices(OnlineLevel.choices)}")
    online_level_display: str = Field(..., description="网上办理程度名称")
    accepts_applications: bool = Field(..., description="能否在线提交申请（网上申请或全程网办）")
    apply_url: str | None = Field(None, description="在线办理（申请表）的完整网址；不能在线申请时为 null")


class GuideList(Schema):
    total: int = Field(..., description="符合筛选条件的事项总数")
    page: int = Field(..., description="当前页码")
    page_size: int = Field(..., description="每页条数")
    num_pages: int = Field(..., description="总页数")
    items: list[GuideItem] = Field(..., description="本页的办事指南")
    facets: GuideFacets = Field(..., description="分面统计，与网站“办事服务”页面的筛选计数一致")


# --- detail -----------------------------------------------------------------------------


class GuideFile(Schema):
    id: int = Field(..., description="文档编号（与 /api/v2/documents/{id}/ 相同）")
    title: str = Field(..., description="文档名称")
    url: str = Field(..., description="下载地址（完整网址）")
    file_extension: str = Field(..., description="文件扩展名，例如 docx")
    file_size: int | None = Field(None, description="文件大小（字节）；未知时为 null")


class GuideUploadRule(Schema):
    allowed_types: list[str] = Field(
        ..., description=f"允许上传的格式（按文件内容识别，不看扩展名）：{_choices(UPLOAD_TYPE_CHOICES)}"
    )
    allowed_types_display: str = Field(..., description="允许上传的格式（显示用）")
    accept: str = Field(
        ..., description="可直接用作 <input type=file accept> 的扩展名列表，例如 .pdf,.jpg,.jpeg"
    )
    mime_types: list[str] = Field(..., description="对应的 MIME 类型")
    max_size_mb: int = Field(..., description="单个文件大小上限（MB）")
    max_bytes: int = Field(..., description="单个文件大小上限（字节）")


class GuideMaterial(Schema):
    id: int = Field(..., description="材料编号；在线申请时用来标识对应的上传文件")
    name: str = Field(..., description="材料名称")
    form: str = Field(..., description=f"材料形式：{_choices(MaterialForm.choices)}")
    form_display: str = Field(..., description="材料形式名称")
    copies: int = Field(..., description="份数")
    required: bool = Field(..., description="是否必需")
    note: str = Field(..., description="填写说明，没有时为空字符串")
    blank_form: GuideFile | None = Field(None, description="空白表格下载；没有时为 null")
    sample: GuideFile | None = Field(None, description="示例样表下载；没有时为 null")
    upload: GuideUploadRule = Field(..., description="在线申请时上传此材料的规则")


class GuideStep(Schema):
    name: str = Field(..., description="环节名称，例如 受理、审查、决定")
    description: str = Field(..., description="办理说明")
    time_limit: str = Field(..., description="本环节时限，没有时为空字符串")


class GuideFAQ(Schema):
    question: str = Field(..., description="问题")
    answer: str = Field(..., description="解答")


class GuideFormField(Schema):
    name: str = Field(..., description="字段名，提交申请时作为参数名")
    label: str = Field(..., description="字段标题")
    type: str = Field(..., description=f"字段类型：{_choices(FORM_FIELD_CHOICES)}")
    required: bool = Field(..., description="是否必填")
    help_text: str = Field(..., description="填写提示，没有时为空字符串")
    choices: list[str] = Field(..., description="可选项（下拉、单选、多选），其他类型为空列表")
    default: str = Field(..., description="默认值，没有时为空字符串")


class GuideUploadSlot(GuideUploadRule):
    material_id: int = Field(..., description="对应的申请材料编号（materials[].id）")
    label: str = Field(..., description="上传项标题（材料名称）")
    required: bool = Field(..., description="是否必须上传")


class GuideApplicationForm(Schema):
    url: str = Field(..., description="网站上的在线办理页面（完整网址）")
    fields: list[GuideFormField] = Field(..., description="编辑为本事项设置的申请表字段，按显示顺序")
    uploads: list[GuideUploadSlot] = Field(..., description="上传项：每项申请材料一个，注明格式和大小上限")


class GuideDetail(GuideItem):
    summary: str = Field(..., description="事项简介")
    legal_basis: str = Field(..., description="设定依据")
    conditions: str = Field(..., description="受理条件")
    materials: list[GuideMaterial] = Field(..., description="申请材料，按清单顺序")
    steps: list[GuideStep] = Field(..., description="办理流程，按先后顺序")
    time_saving_percent: int = Field(..., description="承诺时限比法定时限压缩的百分比")
    fee_standard: str = Field(..., description="收费标准；不收费时通常为空字符串")
    fee_basis: str = Field(..., description="收费依据")
    place: str = Field(..., description="办理地点")
    hours: str = Field(..., description="办理时间")
    phone: str = Field(..., description="咨询电话")
    complaint_phone: str = Field(..., description="监督投诉电话")
    result_name: str = Field(..., description="办理结果（证照或文书名称）")
    delivery: str = Field(..., description="结果送达方式")
    online_note: str = Field(..., description="网上办理说明")
    faqs: list[GuideFAQ] = Field(..., description="常见问题")
    application_form: GuideApplicationForm | None = Field(
        None, description="在线申请表的定义（字段和上传项），供自建前端生成表单；不能在线申请时为 null"
    )
    last_published_at: datetime.datetime | None = Field(None, description="最近一次发布（更新）的时间")


# --- topics -----------------------------------------------------------------------------


class ServiceTopicItem(Schema):
    slug: str = Field(..., description="主题代号，用作 /api/zwfw/guides 的筛选参数 topic")
    name: str = Field(..., description="名称")
    kind: str = Field(..., description=f"类型：{_choices(TopicKind.choices)}")
    kind_display: str = Field(..., description="类型名称")
    audience: str = Field(..., description=f"主要服务对象：{_choices(Audience.choices)}")
    audience_display: str = Field(..., description="服务对象名称")
    guide_count: int = Field(..., description="该主题下已发布的办事指南数")
