"""The pilot domains seeded into a new installation (editable afterwards). No Django here.

国办发〔2019〕54号 refers to the State Council departments' 26 试点领域标准指引, but the official
list was **not found** (docs/law/ogi-spec.md §5, §9). This is the digest's reconstruction
(confidence C): consistent with the 25 areas of the 2017 pilot, the fields named in news
coverage of 54号, and two local 30-field lists. Offices should check it against the 国务院办公厅
list and edit it on the domains page; the seed never overwrites an edit.
"""

from __future__ import annotations

#: The reconstructed 26 fields, in the digest's order (docs/law/ogi-spec.md §5).
RECONSTRUCTED: tuple[str, ...] = (
    "重大建设项目",
    "公共资源交易",
    "财政预决算",
    "安全生产",
    "税收管理",
    "征地补偿",
    "国有土地上房屋征收与补偿",
    "城乡规划",
    "环境保护（生态环境）",
    "公共文化服务",
    "公共法律服务",
    "扶贫",
    "救灾",
    "食品药品监管",
    "就业",
    "社会保险",
    "社会救助",
    "养老服务",
    "户籍管理",
    "涉农补贴",
    "义务教育",
    "医疗卫生（卫生健康）",
    "市政服务",
    "农村危房改造",
    "保障性住房",
    "城市综合执法",
)

NOTE = (
    "按 docs/law/ogi-spec.md §5 重建（可信度 C）：国办发〔2019〕54号所称26个试点领域的官方名单未找到，"
    "请对照国务院办公厅公布的名单核对并修改。"
)
