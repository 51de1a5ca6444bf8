"""Identifiers a government office handles: 统一社会信用代码 and 居民身份证号码, and masking.

Validation checks the structure and the check character the standards define, and says exactly
what is wrong (Chinese first, then English), because a clerk typing an applicant's ID number from
a paper form needs to know *which* part to look at again.

- 统一社会信用代码: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》.
- 居民身份证号码: GB 11643-1999《公民身份号码》, check digit ISO 7064:1983 MOD 11-2.

Masking helpers hide personal information in lists, exports and logs: 《政府信息公开条例》
第十五条 protects 个人隐私, and an applicant's ID number is personal information.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "InvalidIdentifier",
    "credit_code_check_char",
    "is_valid_credit_code",
    "is_valid_resident_id",
    "mask_address",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "resident_id_check_char",
    "validate_credit_code",
    "validate_resident_id",
]


class InvalidIdentifier(ValueError):
    """An identifier that does not follow its standard. The message is Chinese / English."""


def _normalise(value: object) -> str:
    """Fold full-width characters (１２Ｘ) to ASCII, drop spaces and hyphens, uppercase."""
    if not isinstance(value, str):
        raise InvalidIdentifier(
            f"应为文本，实际为 {type(value).__name__} / expected text, got {type(value).__name__}"
        )
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-]", "", text).upper()


# --- 统一社会信用代码 (GB 32100-2015) -----------------------------------------------------

#: The 31 characters of GB 32100-2015 (no I, O, S, V, Z), in the order that gives their values.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {char: index for index, char in enumerate(CREDIT_CODE_ALPHABET)}
#: Weights of positions 1-17: 3**(i-1) mod 31.
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def credit_code_check_char(body: str) -> str:
    """Return the 18th character for the first 17 characters of a 统一社会信用代码."""
    body = _normalise(body)
    if len(body) != 17 or any(char not in _CREDIT_VALUES for char in body):
        raise InvalidIdentifier(
            f"代码本体应为17位有效字符，实际为 {body!r} / the code body must be 17 valid characters, got {body!r}"
        )
    total = sum(
        _CREDIT_VALUES[char] * weight for char, weight in zip(body, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> str:
    """Return the normalised (uppercase) 统一社会信用代码, or raise :class:`InvalidIdentifier`.

    Checks the length, the alphabet (GB 32100-2015 leaves out I, O, S, V and Z), that positions
    3-8 are a six-digit 行政区划代码, and the check character (position 18).
    """
    normalised = _normalise(code)
    if not normalised:
        raise InvalidIdentifier("统一社会信用代码为空 / the unified social credit code is empty")
    if len(normalised) != 18:
        raise InvalidIdentifier(
            f"统一社会信用代码应为18位，实际为{len(normalised)}位 / "
            f"a unified social credit code has 18 characters, got {len(normalised)}"
        )
    for position, char in enumerate(normalised, start=1):
        if char not in _CREDIT_VALUES:
            raise InvalidIdentifier(
                f"统一社会信用代码第{position}位“{char}”不是有效字符（不使用 I、O、S、V、Z） / "
                f"character {position} ({char!r}) is not allowed in a unified social credit code "
                "(I, O, S, V and Z are never used)"
            )
    if not normalised[2:8].isdigit():
        raise InvalidIdentifier(
            f"统一社会信用代码第3至8位应为行政区划代码（6位数字），实际为“{normalised[2:8]}” / "
            f"characters 3-8 must be a six-digit administrative division code, got {normalised[2:8]!r}"
        )
    expected = credit_code_check_char(normalised[:17])
    if normalised[17] != expected:
        raise InvalidIdentifier(
            # Say that the code is wrong, never what its last character "should be": a typo
            # is as likely in the first seventeen, and the "corrected" code is someone else's.
            "统一社会信用代码有误（校验位错误，某一位输入有误），请对照营业执照或登记证书逐位核对 / "
            "the code is wrong (its check character does not match, so a character was "
            "mistyped); compare it with the licence character by character"
        )
    return normalised


def is_valid_credit_code(code: object) -> bool:
    """Return whether ``code`` is a valid 统一社会信用代码."""
    try:
        validate_credit_code(code)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


# --- 居民身份证号码 (GB 11643-1999) ----------------------------------------------------

#: Weights of positions 1-17: 2**(17-i) mod 11 (ISO 7064 MOD 11-2).
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"  # indexed by (sum mod 11)
#: First two digits of the 行政区划代码 (GB/T 2260): provinces, Taiwan, Hong Kong, Macao.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
_EARLIEST_BIRTH = dt.date(1850, 1, 1)


def resident_id_check_char(body: str) -> str:
    """Return the check character (0-9 or X) for the first 17 digits of an ID number."""
    body = _normalise(body)
    if len(body) != 17 or not body.isdigit():
        raise InvalidIdentifier(
            f"身份证号码本体应为17位数字，实际为 {body!r} / the ID number body must be 17 digits, got {body!r}"
        )
    total = sum(int(char) * weight for char, weight in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(number: str, *, on: dt.date | None = None) -> str:
    """Return the normalised 18-digit 居民身份证号码 (final x as X), or raise :class:`InvalidIdentifier`.

    Checks the length, that the first 17 characters are digits, the province code, the birth
    date (a real calendar date, not before 1850 and, when ``on`` is given, not after ``on``)
    and the check character. The old 15-digit numbers are not accepted: they were replaced
    from 2004 and carry no check digit.
    """
    normalised = _normalise(number)
    if not normalised:
        raise InvalidIdentifier("身份证号码为空 / the ID number is empty")
    if len(normalised) != 18:
        raise InvalidIdentifier(
            f"居民身份证号码应为18位，实际为{len(normalised)}位 / "
            f"a resident ID number has 18 characters, got {len(normalised)}"
        )
    for position, char in enumerate(normalised[:17], start=1):
        if not char.isdigit():
            raise InvalidIdentifier(
                f"身份证号码第{position}位应为数字，实际为“{char}” / "
                f"character {position} of the ID number must be a digit, got {char!r}"
            )
    if normalised[17] not in "0123456789X":
        raise InvalidIdentifier(
            f"身份证号码第18位应为数字或X，实际为“{normalised[17]}” / "
            f"the last character of the ID number must be a digit or X, got {normalised[17]!r}"
        )
    if normalised[:2] not in _PROVINCES:
        raise InvalidIdentifier(
            f"身份证号码前两位“{normalised[:2]}”不是有效的省级行政区划代码 / "
            f"the first two digits {normalised[:2]!r} are not a province code"
        )
    birth_text = normalised[6:14]
    try:
        birth = dt.date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:]))
    except ValueError:
        raise InvalidIdentifier(
            f"身份证号码第7至14位“{birth_text}”不是有效的出生日期 / "
            f"characters 7-14 ({birth_text!r}) are not a valid date of birth"
        ) from None
    if birth < _EARLIEST_BIRTH or (on is not None and birth > on):
        raise InvalidIdentifier(
            f"身份证号码中的出生日期 {birth.isoformat()} 不可能 / "
            f"the date of birth {birth.isoformat()} in the ID number is impossible"
        )
    expected = resident_id_check_char(normalised[:17])
    if normalised[17] != expected:
        raise InvalidIdentifier(
            "身份证号码有误（校验位错误，某一位输入有误），请对照证件逐位核对 / "
            "the ID number is wrong (its check digit does not match, so a digit was mistyped); "
            "compare it with the card digit by digit"
        )
    return normalised


def is_valid_resident_id(number: object, *, on: dt.date | None = None) -> bool:
    """Return whether ``number`` is a valid 18-digit 居民身份证号码."""
    try:
        validate_resident_id(number, on=on)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


# --- masking ------------------------------------------------------------------------------

_MASK = "*"


def _mask_middle(text: str, keep_start: int, keep_end: int) -> str:
    if len(text) <= keep_start + keep_end:
        # Too short to show both ends: show only the last character (or nothing).
        return _MASK * (len(text) - 1) + text[-1:] if len(text) > 1 else _MASK * len(text)
    return (
        text[:keep_start]
        + _MASK * (len(text) - keep_start - keep_end)
        + text[len(text) - keep_end :]
    )


def mask_id_number(number: str) -> str:
    """Show only the first 4 and last 4 characters of an ID number: ``1101**********002X``.

    Shorter documents (passports, travel permits: often 9 characters) keep at most a quarter
    of their length at each end, so most of the number stays hidden: ``E1*****78``.
    """
    text = (number or "").strip()
    if len(text) <= 8:
        return _mask_middle(text, 4, 4)  # only the last character shows
    keep = min(4, len(text) // 4)
    return _mask_middle(text, keep, keep)


def mask_phone(phone: str) -> str:
    """Hide the middle digits of a phone number: ``138****5678``, ``023-****5678``.

    Only digits are masked; separators stay, so the number's shape remains recognisable.
    Mobile numbers keep their first 3 and last 4 digits; other numbers keep the area code
    (when written with a separator) and the last 4 digits.
    """
    text = (phone or "").strip()
    digits = [i for i, char in enumerate(text) if char.isdigit()]
    if not digits:
        return text
    keep: set[int] = set(digits[-4:]) if len(digits) > 6 else set(digits[-2:])
    if len(digits) >= 11 and text[digits[-11]] == "1":  # a mobile number, maybe after +86
        keep |= set(digits[:-8])
    elif (match := re.match(r"^\s*\(?(\+?\d{1,4})[\s\-)]", text)) is not None:
        keep |= {i for i in digits if i < match.end(1)}
    return "".join(
        char if not char.isdigit() or i in keep else _MASK for i, char in enumerate(text)
    )


_ADMIN_PART = re.compile(
    r"[^省市县区旗镇乡道]{1,10}?(?:特别行政区|自治区|自治州|自治县|省|市|州|盟|地区|县|区|旗|街道|镇|乡)"
)


def mask_address(address: str) -> str:
    """Keep the administrative divisions (省/市/县/乡镇/街道) and hide the rest: ``重庆市城口县葛城街道****``.

    The hidden part is always four asterisks, so its length is not revealed either.
    """
    text = (address or "").strip()
    end = 0
    while end < len(text) and (match := _ADMIN_PART.match(text, end)) is not None:
        end = match.end()
    if end == 0:
        end = min(len(text) // 3, 6)
    return text[:end] + ("****" if end < len(text) else "")


def mask_name(name: str) -> str:
    """Keep the first character of a name (the surname, or each initial): ``张*``, ``J*** S****``."""
    text = (name or "").strip()
    if " " in text:
        return " ".join(mask_name(part) for part in text.split())
    if len(text) <= 1:
        return _MASK * len(text)
    return text[0] + _MASK * (len(text) - 1)
