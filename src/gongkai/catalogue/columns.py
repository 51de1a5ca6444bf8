"""The columns of a 基层政务公开标准目录 as offices publish it (docs/law/ogi-spec.md §5).

Plain Python (no Django): the XLSX layout, the models' choices and the public page read the
column names, the channel checklist and the tick columns from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: 过程 (an optional leading column of some catalogues, §5).
PROCESSES: tuple[str, ...] = ("决策", "执行", "管理", "服务", "结果")

#: 公开渠道和载体: the checklist of §5, in the published order; ■ = mandatory, □ = optional.
#: (code, label). 「12345政务服务热线」 is added by some catalogues only (§5); it is kept last.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("website", "政府网站"),
    ("gazette", "政府公报"),
    ("new_media", "两微一端"),
    ("press", "发布会/听证会"),
    ("broadcast", "广播电视"),
    ("print", "纸质媒体"),
    ("reading_room", "公开查阅点"),
    ("service_centre", "政务服务中心"),
    ("service_station", "便民服务站"),
    ("on_site", "入户/现场"),
    ("notice_board", "社区/企事业单位/村公示栏（电子屏）"),
    ("targeted", "精准推送"),
    ("other", "其他"),
    ("hotline", "12345政务服务热线"),
)
CHANNEL_LABELS = dict(CHANNELS)
REQUIRED = "required"
OPTIONAL = "optional"
MARKS = {REQUIRED: "■", OPTIONAL: "□"}
MARK_VALUES = {mark: value for value, mark in MARKS.items()}

#: The ticked columns: (group heading, ((field, sub-heading), …)). A tick is 「√」.
TICK_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("公开对象", (("audience_all", "全社会"), ("audience_specific", "特定群体"))),
    ("公开方式", (("proactive", "主动"), ("on_request", "依申请"))),
    ("公开层级", (("level_county", "县级"), ("level_township", "乡级"), ("level_village", "村级"))),
)
TICK = "√"
#: What an import accepts as a tick (offices use several).
TICKS = frozenset({"√", "✓", "✔", "■", "是", "Y", "y"})
TICK_FIELDS: tuple[str, ...] = tuple(name for _g, subs in TICK_GROUPS for name, _l in subs)

#: The text columns: (field, heading, required).
TEXT_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("content", "公开内容（要素）", True),
    ("basis", "公开依据", True),
    ("time_limit", "公开时限", True),
    ("subject", "公开主体", True),
)
ITEM_GROUP = "公开事项"
ITEM_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("item_l1", "一级事项", True),
    ("item_l2", "二级事项", False),
)
CHANNEL_GROUP = "公开渠道和载体"

#: 公开层级 as the public page filters it: (query value, field, label).
LEVELS: tuple[tuple[str, str, str], ...] = (
    ("county", "level_county", "县级"),
    ("township", "level_township", "乡级"),
    ("village", "level_village", "村级"),
)


@dataclass(frozen=True)
class Row:
    """One entry of a catalogue, as a row of the published table."""

    item_l1: str
    item_l2: str
    content: str
    basis: str
    time_limit: str
    subject: str
    process: str = ""
    #: channel code -> REQUIRED or OPTIONAL (channels not used are absent)
    channels: dict[str, str] = field(default_factory=dict)
    audience_all: bool = False
    audience_specific: bool = False
    proactive: bool = False
    on_request: bool = False
    level_county: bool = False
    level_township: bool = False
    level_village: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """What identifies an entry in its catalogue: 一级事项 and 二级事项."""
        return (self.item_l1, self.item_l2)


def clean_text(value: object) -> str:
    """Return a cell's text as stored: None is empty, line ends are ``\\n``, edges stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


#: The longest text a column holds (the database's limits).
MAX_LENGTHS = {"item_l1": 200, "item_l2": 200, "time_limit": 300, "subject": 200}


def problems(row: Row) -> list[tuple[str, str]]:
    """Return (field, message) for every rule ``row`` breaks (Chinese first, then English)."""
    found: list[tuple[str, str]] = []
    for name, limit in MAX_LENGTHS.items():
        if len(getattr(row, name)) > limit:
            found.append((name, f"不能超过{limit}个字 / at most {limit} characters"))
    for name, heading, required in (*ITEM_COLUMNS, *TEXT_COLUMNS):
        if required and not getattr(row, name):
            found.append((name, f"「{heading}」不能为空 / {heading} is required"))
    if row.process and row.process not in PROCESSES:
        found.append(
            (
                "process",
                f"「过程」应为{'、'.join(PROCESSES)}之一或留空 / process must be one of "
                f"{', '.join(PROCESSES)} or empty",
            )
        )
    for code, value in row.channels.items():
        if code not in CHANNEL_LABELS or value not in MARKS:
            found.append(("channels", "公开渠道标记无效 / invalid channel mark"))
    if not row.channels:
        found.append(
            (
                "channels",
                "至少选择一个公开渠道和载体（■ 必选，□ 可选）/ mark at least one channel",
            )
        )
    for group, subs in TICK_GROUPS:
        if not any(getattr(row, name) for name, _label in subs):
            found.append((subs[0][0], f"「{group}」至少勾选一项 / tick at least one {group}"))
    return found
