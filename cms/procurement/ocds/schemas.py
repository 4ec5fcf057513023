"""Schemas of the procurement API (/api/zfcg/): they are its OpenAPI documentation, in Chinese.

The OCDS packages are described by their top-level fields only: their full structure is the official OCDS
1.1.5 schema (release-package-schema.json, record-package-schema.json), which every package validates against.
"""

import datetime
from typing import Any

from ninja import Field, Schema

from cms.api.schemas import DepartmentRef, _choices, _documented
from cms.procurement.choices import BudgetBand, Category, Method, NoticeType, ProcurementKind, Status
from cms.procurement.public.filters import MAX_QUERY_LENGTH, SortOrder

OCDS_SCHEMA = "https://standard.open-contracting.org/1.1/zh/schema/"

# --- query parameters -------------------------------------------------------------------


class ProjectQuery(Schema):
    """The filters of the list /zfcg/, with the same names, values and messages."""

    method: _documented(
        {"type": "string", "enum": list(Method.values)}, f"采购方式：{_choices(Method.choices)}"
    )
    status: _documented(
        {"type": "string", "enum": list(Status.values)},
        f"项目状态：{_choices(Status.choices)}；open（正在招标）包含 closing（72小时内截止）的项目",
    )
    buyer: _documented(
        {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"}, "采购人（部门）代号，见 /api/departments 的 slug"
    )
    category: _documented(
        {"type": "string", "enum": list(Category.values)}, f"采购品目：{_choices(Category.choices)}"
    )
    band: _documented(
        {"type": "string", "enum": list(BudgetBand.values)}, f"预算区间：{_choices(BudgetBand.choices)}"
    )
    budget_min: _documented({"type": "number", "minimum": 0}, "最低预算（万元），例如 50")
    budget_max: _documented({"type": "number", "minimum": 0}, "最高预算（万元），例如 200")
    published_from: _documented(
        {"type": "string", "format": "date"}, "发布日期（起），YYYY-MM-DD：项目最新公告的发布日期"
    )
    published_to: _documented({"type": "string", "format": "date"}, "发布日期（止），YYYY-MM-DD，含当天")
    q: _documented({"type": "string", "maxLength": MAX_QUERY_LENGTH}, "关键词：在项目名称和项目编号中查找")
    sort: _documented(
        {"type": "string", "enum": SortOrder.VALUES},
        f"排序（默认 {SortOrder.LATEST}）：{_choices(SortOrder.CHOICES)}",
    )


# --- errors -----------------------------------------------------------------------------


class FieldError(Schema):
    name: str = Field(..., description="出错的参数名；与具体参数无关时为空字符串")
    message: str = Field(..., description="该参数的错误说明（中文）")


class FilterErrorMessage(Schema):
    message: str = Field(..., description="错误说明（中文），可直接展示给用户")
    errors: list[FieldError] = Field([], description="逐个参数的错误说明")


# --- projects ---------------------------------------------------------------------------


class ProjectFacetOption(Schema):
    value: str = Field(..., description="筛选参数的取值")
    label: str = Field(..., description="显示名称")
    count: int = Field(..., description="在其余筛选条件下，选择此项后的项目数")
    selected: bool = Field(..., description="当前是否已按此项筛选")


class ProjectFacets(Schema):
    method: list[ProjectFacetOption] = Field(..., description="按采购方式统计")
    status: list[ProjectFacetOption] = Field(..., description="按项目状态统计（“正在招标”含即将截止的项目）")
    buyer: list[ProjectFacetOption] = Field(..., description="按采购人（部门）统计，按部门排列顺序")
    category: list[ProjectFacetOption] = Field(..., description="按采购品目统计")
    band: list[ProjectFacetOption] = Field(..., description="按预算区间统计")


class AgencyRef(Schema):
    name: str = Field(..., description="采购代理机构名称")
    uscc: str = Field(..., description="采购代理机构的统一社会信用代码")


class OcdsLinks(Schema):
    ocid: str = Field(..., description="开放缔约数据标准（OCDS）的项目标识 ocid：前缀加项目编号")
    releases: str = Field(..., description="该项目的 OCDS 发布包（release package）地址")
    record: str = Field(..., description="该项目的 OCDS 记录包（record package，含汇编发布）地址")


class ProjectItem(Schema):
    project_number: str = Field(..., description="项目编号")
    title: str = Field(..., description="项目名称")
    url: str = Field(..., description="项目页面的完整网址")
    status: str = Field(..., description=f"项目状态（按当前时间计算）：{_choices(Status.choices)}")
    status_display: str = Field(..., description="项目状态名称")
    buyer: DepartmentRef | None = Field(None, description="采购人（部门）")
    buyer_name: str = Field(..., description="采购单位名称：填写了下属采购单位时为该单位，否则为部门全称")
    agency: AgencyRef | None = Field(None, description="采购代理机构；采购人自行组织采购时为 null")
    method: str = Field(..., description=f"采购方式：{_choices(Method.choices)}")
    method_display: str = Field(..., description="采购方式名称")
    category: str = Field(..., description=f"采购品目：{_choices(Category.choices)}")
    category_display: str = Field(..., description="采购品目名称")
    procurement_kind: str = Field(..., description=f"采购类别：{_choices(ProcurementKind.choices)}")
    budget: float = Field(..., description="预算金额（元）")
    budget_band: str = Field(..., description=f"预算区间：{_choices(BudgetBand.choices)}")
    ceiling_price: float | None = Field(None, description="最高限价（元）；未设置时为 null")
    planned_month: datetime.date | None = Field(None, description="采购意向：预计采购时间（当月1日）")
    tender_published_at: datetime.datetime | None = Field(None, description="采购公告发布时间")
    documents_from: datetime.datetime | None = Field(None, description="获取采购文件开始时间")
    documents_until: datetime.datetime | None = Field(None, description="获取采购文件截止时间（含更正）")
    bid_deadline: datetime.datetime | None = Field(None, description="投标（响应）截止时间（含更正）")
    opening_at: datetime.datetime | None = Field(None, description="开标时间（含更正）")
    opening_place: str = Field(..., description="开标地点，未定时为空字符串")
    awarded_at: datetime.datetime | None = Field(None, description="中标（成交）结果公告发布时间")
    awarded_amount: float | None = Field(None, description="中标（成交）金额合计（元）")
    terminated_at: datetime.datetime | None = Field(None, description="终止公告发布时间")
    latest_notice_at: datetime.datetime | None = Field(None, description="最新公告发布时间")
    ocds: OcdsLinks = Field(..., description="该项目的开放数据（OCDS 1.1.5）")


class ProjectList(Schema):
    total: int = Field(..., description="符合筛选条件的项目总数")
    page: int = Field(..., description="当前页码")
    page_size: int = Field(..., description="每页条数")
    num_pages: int = Field(..., description="总页数")
    items: list[ProjectItem] = Field(..., description="本页的项目")
    facets: ProjectFacets = Field(..., description="分面统计，与网站“政府采购”列表页的筛选计数一致")


class Lot(Schema):
    number: int = Field(..., description="包号")
    name: str = Field(..., description="包名称")
    budget: float = Field(..., description="包预算（元）")
    quantity: str = Field(..., description="数量或服务期，没有时为空字符串")
    requirements: str = Field(..., description="主要需求，没有时为空字符串")


class FileVersion(Schema):
    version_id: int = Field(..., description="版本编号（下载地址中的编号）")
    number: int = Field(..., description="版本号：第几版")
    file_name: str = Field(..., description="原文件名")
    content_type: str = Field(..., description="文件类型（MIME），例如 application/pdf")
    size: int = Field(..., description="文件大小（字节）")
    sha256: str = Field(..., description="文件的 SHA-256 摘要（十六进制小写）")
    signature: str = Field(..., description="平台 Ed25519 电子签章对签名声明的签名（Base64）")
    key_id: str = Field(..., description="签名密钥标识（公钥 SHA-256 的前16位）")
    statement: str = Field(
        ..., description="被签名的声明（UTF-8 文本），绑定项目编号、文件名称、版本号和摘要"
    )
    published_at: datetime.datetime = Field(..., description="该版本随公告发布的时间")
    download_url: str = Field(..., description="下载地址（需以已验证邮箱的供应商账号登录）")


class ProjectDocument(Schema):
    file_id: int = Field(..., description="采购文件编号")
    title: str = Field(..., description="文件名称")
    current: FileVersion = Field(..., description="供应商现在获取的版本（已发布的最新版本）")
    earlier: list[FileVersion] = Field(..., description="已被替换的早期版本，新的在前，仍可核验")


class Change(Schema):
    field: str = Field(
        ..., description="变更的项目：bid_deadline、opening_at、opening_place 或 documents_until"
    )
    label: str = Field(..., description="变更项目名称，例如 投标截止时间")
    old: str | None = Field(None, description="变更前的值（时间为 ISO 8601，北京时间）")
    new: str = Field(..., description="变更后的值")


class AwardedLot(Schema):
    lot_number: int = Field(..., description="包号")
    lot_name: str = Field(..., description="包名称，项目中没有该包号时为空字符串")
    supplier_name: str = Field(..., description="中标（成交）供应商")
    supplier_uscc: str = Field(..., description="供应商统一社会信用代码")
    supplier_address: str = Field(..., description="供应商地址，没有时为空字符串")
    amount: float = Field(..., description="中标（成交）金额（元）")


class Notice(Schema):
    id: int = Field(..., description="公告编号（页面编号）")
    notice_type: str = Field(..., description=f"公告类型：{_choices(NoticeType.choices)}")
    notice_type_display: str = Field(..., description="公告类型名称")
    title: str = Field(..., description="公告标题")
    url: str = Field(..., description="公告页面的完整网址")
    first_published_at: datetime.datetime = Field(..., description="首次发布时间")
    last_published_at: datetime.datetime | None = Field(None, description="最近一次发布（修改）时间")
    file_ids: list[int] = Field(..., description="随本公告发布的采购文件编号（见 documents 的 file_id）")
    schedule: dict[str, Any] | None = Field(
        None,
        description="采购公告的时间安排：documents_from、documents_until、bid_deadline、opening_at、"
        "opening_place、submission；其他公告为 null",
    )
    changes: list[Change] = Field(
        ..., description="更正公告变更的时间安排（变更前→变更后）；其他公告为空列表"
    )
    affects_bids: bool | None = Field(None, description="更正公告：是否影响投标文件编制；其他公告为 null")
    decided_on: datetime.date | None = Field(None, description="结果公告：中标（成交）确定日期")
    published_late: bool | None = Field(None, description="结果公告：是否晚于确定后2个工作日发布")
    awarded_lots: list[AwardedLot] = Field(..., description="结果公告：各包的中标（成交）结果")
    reason: str | None = Field(None, description="终止公告：终止原因")
    contract: dict[str, Any] | None = Field(
        None,
        description="合同公告：contract_number 合同编号、supplier_name、supplier_uscc、"
        "amount 合同金额（元）、signed_on 签订日期、period 履约期限；其他公告为 null",
    )


class ProjectDetail(ProjectItem):
    summary: str = Field(..., description="采购需求概况")
    qualification: str = Field(..., description="供应商资格要求")
    contact_name: str = Field(..., description="项目联系人")
    contact_phone: str = Field(..., description="联系电话")
    lots: list[Lot] = Field(..., description="采购包")
    notices: list[Notice] = Field(..., description="已发布的公告，按发布时间先后（项目时间线）")
    documents: list[ProjectDocument] = Field(..., description="采购文件及其已发布的版本、摘要和签名")
    verify_url: str = Field(..., description="在线核验采购文件（上传文件或粘贴 SHA-256）的页面")
    public_key_url: str = Field(..., description="平台签名公钥（PEM），可用 OpenSSL 独立验证签名")


# --- OCDS (documented by their top level; the rest is the official schema) --------------


class OcdsPublisher(Schema):
    name: str = Field(..., description="数据发布者名称")
    uri: str | None = Field(None, description="数据发布者的网址")


class OcdsReleasePackage(Schema):
    uri: str = Field(..., description="本数据包的地址")
    version: str = Field(..., description="OCDS 版本（1.1，即 1.1.x 的核心模式，不使用扩展）")
    publisher: OcdsPublisher = Field(..., description="数据发布者")
    publishedDate: str = Field(
        ..., description="发布时间（ISO 8601）：单个项目为其内容最近一次变化的时间，批量下载为生成时间"
    )
    releases: list[dict[str, Any]] = Field(
        ...,
        description="OCDS 发布（release），按日期先后：每份公告一条（tender 采购公告、"
        "tenderAmendment 更正公告、award 结果公告、tenderCancellation 终止公告、contract 合同公告），"
        f"尚无采购公告或公开过采购意向的项目另有一条 planning。结构见 OCDS 1.1.5 发布模式：{OCDS_SCHEMA}",
    )


class OcdsRecord(Schema):
    ocid: str = Field(..., description="项目的 ocid")
    releases: list[dict[str, Any]] = Field(..., description="该项目的全部发布，按日期先后")
    compiledRelease: dict[str, Any] = Field(
        ..., description="汇编发布（compiled release）：按 OCDS 合并规则得到的项目当前状态，tag 为 compiled"
    )


class OcdsRecordPackage(Schema):
    uri: str = Field(..., description="本数据包的地址")
    version: str = Field(..., description="OCDS 版本（1.1）")
    publisher: OcdsPublisher = Field(..., description="数据发布者")
    publishedDate: str = Field(..., description="发布时间（ISO 8601）：项目内容最近一次变化的时间")
    packages: list[str] = Field(..., description="汇编所用的发布包地址")
    records: list[OcdsRecord] = Field(..., description="记录（本接口每次只含一个项目）")
