"""Remove personal data from a text before it is published (letters to a public mailbox).

《政府信息公开条例》第十五条 protects 个人隐私: a letter and its reply are published only with
the writer's name, ID numbers, phone numbers and address hidden. The masks are those of
:mod:`gongkai.law.identifiers` (``张*``, ``138****5678``, ``5002**********123X``,
``重庆市城口县葛城街道****``), so a published letter reads like every other masked list.

:func:`redact` hides what it is told about (the writer's own name, phone and address, and any
other names staff add) wherever they appear, and whatever looks like an ID number, a mobile
number or a landline anywhere in the text. It never raises on odd input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongkai.law.identifiers import mask_address, mask_id_number, mask_name, mask_phone

__all__ = ["redact"]

#: An 18-character resident ID (17 digits and a digit or X), or the old 15-digit form.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
#: A mainland mobile number, optionally after +86 and with spaces or dashes (3-4-4).
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
#: A landline with its area code: 023-59221234, (023)5922 1234, 0235922123.
_LANDLINE = re.compile(r"(?<!\d)\(?0\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)")


def _replace_all(text: str, needle: str, mask: str) -> str:
    return text.replace(needle, mask) if needle else text


def redact(
    text: str,
    *,
    names: Iterable[str] = (),
    phones: Iterable[str] = (),
    addresses: Iterable[str] = (),
) -> str:
    """Return ``text`` with personal data masked.

    ``names``, ``phones`` and ``addresses`` are known values (the writer's own), masked
    wherever they occur; ID numbers and phone numbers are found by their shape as well.
    Longer known values are replaced first, so a full name is masked before a part of it.
    """
    out = text or ""
    known: list[tuple[str, str]] = []
    for address in addresses:
        address = (address or "").strip()
        if len(address) >= 2:
            masked = mask_address(address)
            known.append((address, masked))
            # the part the mask hides (street and number) is hidden where it stands alone too
            kept = masked.removesuffix("****")
            tail = address[len(kept) :] if kept != masked else ""
            if len(tail) >= 3:
                known.append((tail, "****"))
    for name in names:
        name = (name or "").strip()
        if name:
            known.append((name, mask_name(name)))
    for phone in phones:
        phone = (phone or "").strip()
        if len(phone) >= 5:
            known.append((phone, mask_phone(phone)))
    for needle, mask in sorted(known, key=lambda pair: -len(pair[0])):
        out = _replace_all(out, needle, mask)
    out = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), out)
    out = _MOBILE.sub(lambda m: mask_phone(m.group(0)), out)
    out = _LANDLINE.sub(lambda m: mask_phone(m.group(0)), out)
    return out
