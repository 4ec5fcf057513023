"""主题分类: the State Council's topic tree for government information (政府信息公开目录).

The 21 top classes are the ones the State Council uses on www.gov.cn (without its
22nd class 国务院组织机构, which local governments do not use), in that order.
The second-level sub-classes follow the same 政府信息公开目录 scheme as best known;
they are not published as a formal standard, so verify them against the current
gov.cn catalogue before relying on them.

Codes: top classes are "01".."21"; a sub-class is its parent's code plus a
two-digit sequence ("0101"). Codes are stored in the database and used in URLs,
so never renumber: only append.

Plain Python on purpose: migrations import this module.
"""

_TREE = [
    ("综合政务", ["应急管理", "电子政务", "政务公开", "政务督查", "信访", "参事、文史", "文秘工作", "其他"]),
    ("国民经济管理、国有资产监管", ["宏观经济", "经济体制改革", "国有资产监管", "统计", "物价", "其他"]),
    (
        "财政、金融、审计",
        ["财政", "金融", "税务", "银行", "证券", "保险", "审计", "社会信用体系建设", "其他"],
    ),
    ("国土资源、能源", ["土地", "矿产", "海洋", "煤炭", "石油与天然气", "电力", "其他"]),
    ("农业、林业、水利", ["农业、畜牧业、渔业", "林业", "水利", "其他"]),
    (
        "工业、交通",
        [
            "机械制造与重工业",
            "轻工纺织",
            "信息产业（含电信）",
            "公路",
            "铁路",
            "水运",
            "民航",
            "邮政",
            "其他",
        ],
    ),
    ("商贸、海关、旅游", ["国内贸易（含供销）", "对外经贸合作", "海关", "旅游", "其他"]),
    ("市场监管、安全生产监管", ["工商", "质量监督", "食品药品监管", "安全生产监管", "其他"]),
    (
        "城乡建设、环境保护",
        [
            "城乡建设（含住房）",
            "城市规划",
            "环境监测、保护与治理",
            "节能与资源综合利用",
            "气象、水文、测绘、地震",
            "其他",
        ],
    ),
    ("科技、教育", ["科技", "教育", "知识产权", "其他"]),
    ("文化、广电、新闻出版", ["文化", "广播影视", "新闻出版", "文物", "其他"]),
    ("卫生、体育", ["卫生", "医药管理", "体育", "其他"]),
    ("人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童", "其他"]),
    ("劳动、人事、监察", ["劳动就业", "社会保障", "人事工作", "监察", "纠正行业不正之风", "其他"]),
    ("公安、安全、司法", ["公安", "安全", "司法", "其他"]),
    ("民政、扶贫、救灾", ["减灾救灾", "优抚安置", "社会福利", "扶贫", "社团管理", "行政区划与地名", "其他"]),
    ("民族、宗教", ["民族事务", "宗教事务", "其他"]),
    ("对外事务", ["外事工作", "国际条约、国际组织", "其他"]),
    ("港澳台侨工作", ["港澳工作", "台湾工作", "侨务工作", "其他"]),
    ("国防", ["国防建设", "国防动员", "其他"]),
    ("其他", []),
]

TOPICS = [
    {
        "code": f"{i:02d}",
        "name": name,
        "children": [{"code": f"{i:02d}{j:02d}", "name": child} for j, child in enumerate(children, 1)],
    }
    for i, (name, children) in enumerate(_TREE, 1)
]

# Flat lookups: code -> name, and sub-class name path -> code ("财政、金融、审计/财政" -> "0301").
TOPIC_NAMES = {t["code"]: t["name"] for t in TOPICS} | {
    c["code"]: c["name"] for t in TOPICS for c in t["children"]
}
TOPIC_CODES = {f"{t['name']}/{c['name']}": c["code"] for t in TOPICS for c in t["children"]}
