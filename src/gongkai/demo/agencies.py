"""Demo step ``agencies``: 城口县 — the county government, its office, 14 departments, the
streets and townships, and the reporting unit 「城口县人民政府机关」 of the seed report.

The credit codes are demo data: ``11`` (机构编制, 机关) + ``500229`` (城口县's division code) +
``DM`` and a serial number, with the check character computed by GB 32100-2015. They are not
the agencies' real codes.
"""

from __future__ import annotations

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.demo.records import ensure
from gongkai.law.identifiers import credit_code_check_char

COUNTY = "城口县"
DIVISION_CODE = "500229"

Kind = Agency.Kind

#: (slug, full name, short name, kind); order is display order.
AGENCIES: list[tuple[str, str, str, str]] = [
    ("county-government", "城口县人民政府", "县政府", Kind.COUNTY_GOVERNMENT),
    ("county-office", "城口县人民政府办公室", "县政府办公室", Kind.GOVERNMENT_OFFICE),
    ("fgw", "城口县发展和改革委员会", "县发展改革委", Kind.DEPARTMENT),
    ("jw", "城口县教育委员会", "县教委", Kind.DEPARTMENT),
    ("gaj", "城口县公安局", "县公安局", Kind.DEPARTMENT),
    ("mzj", "城口县民政局", "县民政局", Kind.DEPARTMENT),
    ("sfj", "城口县司法局", "县司法局", Kind.DEPARTMENT),
    ("czj", "城口县财政局", "县财政局", Kind.DEPARTMENT),
    ("rlsbj", "城口县人力资源和社会保障局", "县人力社保局", Kind.DEPARTMENT),
    ("ghzrzyj", "城口县规划和自然资源局", "县规划自然资源局", Kind.DEPARTMENT),
    ("sthjj", "城口县生态环境局", "县生态环境局", Kind.DEPARTMENT),
    ("zfcxjw", "城口县住房和城乡建设委员会", "县住房城乡建委", Kind.DEPARTMENT),
    ("jtj", "城口县交通局", "县交通局", Kind.DEPARTMENT),
    ("nyncw", "城口县农业农村委员会", "县农业农村委", Kind.DEPARTMENT),
    ("wsjkw", "城口县卫生健康委员会", "县卫生健康委", Kind.DEPARTMENT),
    ("scjgj", "城口县市场监督管理局", "县市场监管局", Kind.DEPARTMENT),
    ("gecheng", "城口县葛城街道办事处", "葛城街道", Kind.STREET),
    ("fuxing", "城口县复兴街道办事处", "复兴街道", Kind.STREET),
]

#: (slug, name) of the townships; 镇 first, then 乡, as the county lists them.
TOWNSHIPS: list[tuple[str, str]] = [
    ("bashan", "巴山镇"),
    ("pingba", "坪坝镇"),
    ("miaoba", "庙坝镇"),
    ("mingtong", "明通镇"),
    ("xiuqi", "修齐镇"),
    ("gaoguan", "高观镇"),
    ("dongan", "东安镇"),
    ("xianyi", "咸宜镇"),
    ("gaoyan", "高燕镇"),
    ("beiping", "北屏乡"),
    ("liaozi", "蓼子乡"),
    ("longtian", "龙田乡"),
    ("yanhe", "沿河乡"),
    ("lantian", "岚天乡"),
    ("heyu", "河鱼乡"),
    ("zuolan", "左岚乡"),
    ("jiming", "鸡鸣乡"),
    ("zhouxi", "周溪乡"),
    ("houping", "厚坪乡"),
    ("zhiping", "治平乡"),
    ("shuanghe", "双河乡"),
    ("mingzhong", "明中乡"),
]

REPORTING_UNIT = (
    "county-government-organs",
    "城口县人民政府机关",
    ["county-government", "county-office"],
)


def demo_credit_code(serial: int) -> str:
    """Return a demo 统一社会信用代码 with a valid check character (not a real agency's)."""
    body = f"11{DIVISION_CODE}DM{serial:07d}"
    return body + credit_code_check_char(body)


def all_rows() -> list[tuple[str, str, str, str]]:
    townships = [(slug, f"{COUNTY}{name}人民政府", name, Kind.TOWNSHIP) for slug, name in TOWNSHIPS]
    return AGENCIES + townships


def load(*, out) -> None:
    written = 0
    county = None
    for order, (slug, name, short_name, kind) in enumerate(all_rows(), start=1):
        agency, changed = ensure(
            Agency,
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "kind": kind,
                "credit_code": demo_credit_code(order),
                "parent": county,
                "sort_order": order * 10,
            },
        )
        county = county or agency
        written += changed
    slug, name, members = REPORTING_UNIT
    unit, changed = ensure(ReportingUnit, slug=slug, defaults={"name": name, "sort_order": 10})
    wanted = set(Agency.objects.filter(slug__in=members).values_list("pk", flat=True))
    if set(unit.agencies.values_list("pk", flat=True)) != wanted:
        unit.agencies.set(wanted)
        changed = True
    written += changed
    out(
        f"机关 / agencies: {len(all_rows())} 个，年报主体 / reporting units: 1 个"
        f"（新建或更新 / created or updated: {written}）"
    )
