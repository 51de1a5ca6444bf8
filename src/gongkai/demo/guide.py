"""Demo step ``guide``: each agency's 政府信息公开工作机构 (the guide's contact data).

Every value is demo data: the addresses say so, the telephone and fax numbers are made up and
the e-mail addresses are under example.org (RFC 2606). The county office's 政务公开科 answers for
the county government and its office; a department's office is its 办公室, a township's or
street's its 党政办公室.
"""

from __future__ import annotations

from datetime import date

from gongkai.agencies.models import Agency
from gongkai.demo.records import ensure
from gongkai.guide.models import DisclosureOffice

UPDATED = date(2021, 1, 15)
HOURS = "工作日上午9:00—12:00，下午14:30—18:00（法定节假日除外）"
RULES = (
    "政府信息公开工作由本机关办公室统一负责，明确专人承办。\n"
    "拟公开的政府信息在公开前依法依规进行保密审查，未经审查不得公开。\n"
    "主动公开的政府信息自形成或者变更之日起20个工作日内公开。\n"
    "依申请公开实行登记、审核、答复、归档全流程管理，按期答复。\n"
    "每年1月31日前公布上一年度政府信息公开工作年度报告。"
)


def load(*, out) -> None:
    agencies = list(Agency.objects.order_by("sort_order", "pk"))
    for n, agency in enumerate(agencies, start=1):
        county = agency.kind in {Agency.Kind.COUNTY_GOVERNMENT, Agency.Kind.GOVERNMENT_OFFICE}
        local = agency.kind in {Agency.Kind.TOWNSHIP, Agency.Kind.STREET}
        own = f"{agency.name}党政办公室" if local else f"{agency.name}办公室"
        ensure(
            DisclosureOffice,
            agency=agency,
            defaults={
                "name": "城口县人民政府办公室政务公开科" if county else own,
                "address": f"城口县葛城街道（演示地址）{agency.display_name}{n}号",
                "postcode": "405900",
                "hours": HOURS,
                "phone": f"023-5900{n:04d}",
                "fax": f"023-5901{n:04d}",
                "email": f"gk-{agency.slug}@example.org",
                "internet": "",
                "in_person": "",
                "rules_text": RULES,
                "updated_on": UPDATED,
            },
        )
    out(f"公开工作机构：{len(agencies)} 个机关")
