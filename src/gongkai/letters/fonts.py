"""CJK font stacks for letters, after GB/T 9704-2012 (标题 2号小标宋体, 正文 3号仿宋体).

Offices usually have 方正小标宋简体 and 仿宋_GB2312; servers usually have only Noto CJK. Each
stack lists the preferred face first. DOCX output names the GB/T 9704 faces themselves
(:meth:`LetterFonts.standard`: the office PC opening it has them), with the fallbacks Word and
WPS use in its font table; HTML and the PDF made from it list the whole stack, so the PDF uses
the closest face installed on the server (Noto CJK on a typical Linux server).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass

__all__ = [
    "BODY_STACK",
    "CSS_TITLE_FAMILY",
    "FONT_FACES_CSS",
    "NUMBER_STACK",
    "TITLE_STACK",
    "LetterFonts",
    "cjk_fonts_installed",
    "installed_cjk_families",
]

# Each face with the names it is known by (Chinese name first, as Word writes it).
TITLE_STACK: tuple[tuple[str, ...], ...] = (
    ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
    ("华文中宋", "STZhongsong"),
    ("宋体", "SimSun"),
    ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体"),
)
BODY_STACK: tuple[tuple[str, ...], ...] = (
    ("仿宋_GB2312", "FangSong_GB2312"),
    ("仿宋", "FangSong", "STFangsong", "华文仿宋"),
    ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体"),
)
# Headings in the body: 第一层 黑体, 第二层 楷体 (GB/T 9704-2012 §7.3.3).
HEADING_STACK: tuple[tuple[str, ...], ...] = (
    ("黑体", "SimHei"),
    ("Noto Sans CJK SC", "Source Han Sans SC", "思源黑体"),
)
SUBHEADING_STACK: tuple[tuple[str, ...], ...] = (
    ("楷体_GB2312", "KaiTi_GB2312"),
    ("楷体", "KaiTi", "STKaiti", "华文楷体"),
    ("Noto Serif CJK SC", "Source Han Serif SC"),
)
# 页码 are 4号半角宋体阿拉伯数字 (GB/T 9704-2012 §7.5).
NUMBER_STACK: tuple[tuple[str, ...], ...] = (
    ("宋体", "SimSun"),
    ("Noto Serif CJK SC", "Source Han Serif SC"),
)


@functools.cache
def installed_cjk_families() -> frozenset[str] | None:
    """Return the family names of the Chinese fonts fontconfig knows, or None without fc-list."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = set()
    for line in out.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return frozenset(families)


def cjk_fonts_installed() -> bool:
    """Tell whether at least one Chinese font is installed (``fc-list :lang=zh``)."""
    return bool(installed_cjk_families())


def pick_face(stack: tuple[tuple[str, ...], ...], installed: frozenset[str] | None) -> str:
    """Return the first face of ``stack`` that is installed, else the stack's preferred face."""
    if installed:
        for names in stack:
            for name in names:
                if name in installed:
                    return name
    return stack[0][0]


# The heavy title faces under one name, then a bold fallback, so that CSS can use 小标宋 as it is
# and otherwise a bold serif (a browser would fake-bold 小标宋 if the element itself were bold).
FONT_FACES_CSS = """
@font-face { font-family: "GongkaiTitle"; src: local("方正小标宋简体"),
  local("FZXiaoBiaoSong-B05S"), local("华文中宋"), local("STZhongsong"); }
@font-face { font-family: "GongkaiTitleBold"; src: local("Noto Serif CJK SC Bold"),
  local("NotoSerifCJKsc-Bold"), local("Source Han Serif SC Bold"), local("SourceHanSerifSC-Bold"),
  local("思源宋体 Bold"); }
"""
CSS_TITLE_FAMILY = (
    '"GongkaiTitle", "宋体", "SimSun", "GongkaiTitleBold", "Noto Serif CJK SC", '
    '"Source Han Serif SC", serif'
)


def css_family(stack: tuple[tuple[str, ...], ...], generic: str = "serif") -> str:
    """Write a stack as a CSS font-family list, every known name quoted."""
    names = [f'"{name}"' for names in stack for name in names]
    return ", ".join([*names, generic])


@dataclass(frozen=True)
class LetterFonts:
    """The faces a DOCX letter names: title, body, page numbers and the two heading levels."""

    title: str
    body: str
    number: str
    heading: str = HEADING_STACK[0][0]
    subheading: str = SUBHEADING_STACK[0][0]

    @property
    def title_bold(self) -> bool:
        """Set a fallback title face bold: offices write 宋体加粗 when they lack 小标宋."""
        heavy = {name for names in TITLE_STACK[:2] for name in names}
        return self.title not in heavy

    @classmethod
    def detect(cls, installed: frozenset[str] | None = None) -> LetterFonts:
        """Pick from each stack the first face installed here (``installed`` defaults to fc-list)."""
        if installed is None:
            installed = installed_cjk_families()
        return cls(
            title=pick_face(TITLE_STACK, installed),
            body=pick_face(BODY_STACK, installed),
            number=pick_face(NUMBER_STACK, installed),
            heading=pick_face(HEADING_STACK, installed),
            subheading=pick_face(SUBHEADING_STACK, installed),
        )

    @classmethod
    def standard(cls) -> LetterFonts:
        """The GB/T 9704 faces themselves: what a DOCX names, so that Word or WPS on an office
        PC sets 方正小标宋简体, 仿宋_GB2312, 黑体 and 楷体_GB2312 whatever the server has."""
        return cls(title=TITLE_STACK[0][0], body=BODY_STACK[0][0], number=NUMBER_STACK[0][0])
