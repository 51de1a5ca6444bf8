"""The letter as data: what every 告知书 and 答复书 carries, independent of the output format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Letter",
    "LetterRenderError",
    "LetterStyle",
    "chinese_date",
    "remedy_notice",
    "signature_indents",
    "text_width",
]

LetterStyle = Literal["letter", "document"]

_DIGITS = "〇一二三四五六七八九"


class LetterRenderError(Exception):
    """A letter cannot be composed or rendered. The message is Chinese / English."""


def _small_number(n: int) -> str:
    """Write 1–31 the way dates are written: 十, 十一, 二十, 二十七, 三十一."""
    if not 1 <= n <= 31:
        raise ValueError(f"{n} is not a month or day number")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def chinese_date(d: dt.date) -> str:
    """Write a date in Chinese numerals: 2026-11-27 → 二〇二六年十一月二十七日."""
    year = "".join(_DIGITS[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{_small_number(d.month)}月{_small_number(d.day)}日"


def remedy_notice(review_body: str = "", court: str = "", *, subject: str = "本答复") -> str:
    """Tell the applicant how to challenge the decision: 行政复议 within 60 days, 行政诉讼 within 6 months.

    《行政复议法》第二十条 (60 days), 《行政诉讼法》第四十六条 (6 months); 《政府信息公开条例》第五十一条.
    Where the agency has not configured its review body or court, the wording stays generic.
    """
    review = f"向{review_body}申请行政复议" if review_body else "依法向有关行政机关申请行政复议"
    litigation = f"向{court}提起行政诉讼" if court else "依法向有管辖权的人民法院提起行政诉讼"
    return (
        f"如对{subject}不服，可以自收到{subject}之日起60日内{review}，或者在6个月内{litigation}。"
    )


def text_width(text: str) -> float:
    """Width of ``text`` in full-width characters (ASCII digits and letters count half)."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


def signature_indents(signature: str, date: str, seal: str = "") -> tuple[float, float, float]:
    """Right indents, in characters, of the seal, signature and date lines.

    GB/T 9704-2012 §7.3.5.2: the date four characters in from the right and the signature
    centred over it; a signature longer than the date sits two in and the date centres under it.
    """
    name_w, date_w = text_width(signature), text_width(date)
    date_right = 4.0
    name_right = date_right + (date_w - name_w) / 2
    if name_right < 2:
        name_right, date_right = 2.0, 2 + (name_w - date_w) / 2
    seal_right = date_right + (date_w - text_width(seal)) / 2
    return seal_right, name_right, date_right


@dataclass(frozen=True)
class Letter:
    """One letter ready to render.

    ``paragraphs`` is the body (each item one paragraph, first line indented two characters);
    ``legal_basis`` lists the provisions the letter relies on (they are also cited in the body);
    ``remedy`` is the remedy notice paragraph, empty for letters that decide nothing; it is
    printed after the body and before ``closing`` (the 「特此答复。」 line).
    ``style`` "letter" (信函格式: 文号 right-aligned under the agency name) or "document"
    (文件格式: 文号 centred under the 发文机关标志).
    """

    agency: str
    title: str
    recipient: str
    paragraphs: tuple[str, ...]
    issued_on: dt.date
    doc_number: str = ""
    legal_basis: tuple[str, ...] = ()
    remedy: str = ""
    closing: str = ""
    attachments: tuple[str, ...] = ()
    signatory: str = ""
    seal: str = ""  # a placeholder such as 「（印章）」 on drafts only, never on an issued letter
    cc: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    style: LetterStyle = "letter"
    key: str = ""
    arabic_date: bool = True

    def __post_init__(self) -> None:
        for name in ("agency", "title", "recipient"):
            if not getattr(self, name).strip():
                raise LetterRenderError(f"告知书缺少{_FIELD_LABELS[name]} / letter has no {name}")
        if not isinstance(self.issued_on, dt.date):
            raise LetterRenderError("成文日期必须是日期 / issued_on must be a date")
        if self.style not in ("letter", "document"):
            raise LetterRenderError(
                f"未知的版式 {self.style!r}，应为 letter 或 document / unknown style {self.style!r}"
            )

    @property
    def date_text(self) -> str:
        """The 成文日期: in Arabic numerals as GB/T 9704-2012 §7.3.5.1 writes it (2026年11月27日),
        or without ``arabic_date`` in the older Chinese numerals (二〇二六年十一月二十七日)."""
        if self.arabic_date:
            d = self.issued_on
            return f"{d.year}年{d.month}月{d.day}日"
        return chinese_date(self.issued_on)

    @property
    def signature(self) -> str:
        """The 发文机关署名 (落款); the issuing agency unless another signatory is given."""
        return self.signatory or self.agency

    @property
    def contact_line(self) -> str:
        """The 附注 line: （联系人：张三；联系电话：023-12345678）, or empty."""
        parts = []
        if self.contact_person:
            parts.append(f"联系人：{self.contact_person}")
        if self.contact_phone:
            parts.append(f"联系电话：{self.contact_phone}")
        return f"（{'；'.join(parts)}）" if parts else ""

    def attachment_lines(self) -> list[str]:
        """附件说明 lines: 「附件：1.×××」 then 「　　　2.×××」, numbered only when there are several."""
        if not self.attachments:
            return []
        if len(self.attachments) == 1:
            return [f"附件：{self.attachments[0]}"]
        return [
            ("附件：" if i == 0 else "　　　") + f"{i + 1}.{name}"
            for i, name in enumerate(self.attachments)
        ]


_FIELD_LABELS = {"agency": "发文机关", "title": "标题", "recipient": "主送（收件人）"}
