"""Seed taxonomies: the 公开目录 of 条例第二十条 and 第二十一条, and a 主题分类.

The catalogue items are verbatim from docs/law/ogi-spec.md §1.2. The topic list is a common
default (the subject headings many government websites use); no national standard for it is
in docs/law/ogi-spec.md, so an installation edits it freely in the back office.
"""

from __future__ import annotations

#: (code, name, article, scope) — the 15 items of 第二十条, verbatim.
ARTICLE_20 = [
    ("a20-01", "行政法规、规章和规范性文件", "第二十条第（一）项"),
    (
        "a20-02",
        "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
        "第二十条第（二）项",
    ),
    ("a20-03", "国民经济和社会发展规划、专项规划、区域规划及相关政策", "第二十条第（三）项"),
    ("a20-04", "国民经济和社会发展统计信息", "第二十条第（四）项"),
    (
        "a20-05",
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
        "第二十条第（五）项",
    ),
    (
        "a20-06",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
        "第二十条第（六）项",
    ),
    ("a20-07", "财政预算、决算信息", "第二十条第（七）项"),
    ("a20-08", "行政事业性收费项目及其依据、标准", "第二十条第（八）项"),
    ("a20-09", "政府集中采购项目的目录、标准及实施情况", "第二十条第（九）项"),
    ("a20-10", "重大建设项目的批准和实施情况", "第二十条第（十）项"),
    (
        "a20-11",
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
        "第二十条第（十一）项",
    ),
    ("a20-12", "突发公共事件的应急预案、预警信息及应对情况", "第二十条第（十二）项"),
    (
        "a20-13",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
        "第二十条第（十三）项",
    ),
    ("a20-14", "公务员招考的职位、名额、报考条件等事项以及录用结果", "第二十条第（十四）项"),
    (
        "a20-15",
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
        "第二十条第（十五）项",
    ),
]

#: 第二十一条: 县级人民政府及其部门 (county) and 乡（镇）人民政府 (township).
ARTICLE_21_COUNTY = [
    "市政建设",
    "公共服务",
    "公益事业",
    "土地征收",
    "房屋征收",
    "治安管理",
    "社会救助",
]
ARTICLE_21_TOWNSHIP = [
    "贯彻落实农业农村政策",
    "农田水利工程建设运营",
    "农村土地承包经营权流转",
    "宅基地使用情况审核",
    "土地征收",
    "房屋征收",
    "筹资筹劳",
    "社会救助",
]

TOPICS = [
    ("economy", "国民经济管理、国有资产监管"),
    ("finance", "财政、金融、审计"),
    ("land", "国土资源、能源"),
    ("agriculture", "农业、林业、水利"),
    ("industry", "工业、交通"),
    ("commerce", "商贸、海关、旅游"),
    ("market", "市场监管、安全生产监管"),
    ("construction", "城乡建设、环境保护"),
    ("education", "科技、教育"),
    ("culture", "文化、广电、新闻出版"),
    ("health", "卫生、体育"),
    ("population", "人口与计划生育、妇女儿童工作"),
    ("labour", "劳动、人事、监察"),
    ("security", "公安、安全、司法"),
    ("civil", "民政、扶贫、救灾"),
    ("general", "综合政务"),
    ("other", "其他"),
]


def catalogue_rows() -> list[dict]:
    """Return the seeded catalogue as field dicts, in display order."""
    rows = [
        {"code": code, "name": name, "article": article, "scope": "all", "sort_order": i}
        for i, (code, name, article) in enumerate(ARTICLE_20, start=1)
    ]
    for i, name in enumerate(ARTICLE_21_COUNTY, start=1):
        rows.append(
            {
                "code": f"a21-county-{i:02d}",
                "name": name,
                "article": "第二十一条（县级）",
                "scope": "county",
                "sort_order": 100 + i,
            }
        )
    for i, name in enumerate(ARTICLE_21_TOWNSHIP, start=1):
        rows.append(
            {
                "code": f"a21-township-{i:02d}",
                "name": name,
                "article": "第二十一条（乡镇）",
                "scope": "township",
                "sort_order": 200 + i,
            }
        )
    return rows


def topic_rows() -> list[dict]:
    return [
        {"code": code, "name": name, "sort_order": i}
        for i, (code, name) in enumerate(TOPICS, start=1)
    ]


def seed_taxonomies(topic_model, category_model) -> None:
    """Create the seeded rows that are missing (used by the data migration; idempotent)."""
    for row in catalogue_rows():
        category_model.objects.get_or_create(code=row["code"], defaults=row)
    for row in topic_rows():
        topic_model.objects.get_or_create(code=row["code"], defaults=row)
