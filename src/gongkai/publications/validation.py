"""Input checks for publications: one place for the forms, the API, the import and the demo.

:func:`clean_fields` turns raw values (form data, JSON, a spreadsheet row) into model values
or raises one ValidationError keyed by field, every message Chinese first.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import nh3
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Agency
from gongkai.publications.models import (
    Attribute,
    CatalogueCategory,
    Channel,
    Genre,
    InterpretationForm,
    Kind,
    Publication,
    Topic,
    Validity,
)

__all__ = [
    "DATE_FIELDS",
    "EDITABLE",
    "clean_body",
    "clean_fields",
    "clean_placements",
    "parse_date",
]

DATE_FIELDS = ("written_on", "formed_on", "effective_on", "repealed_on", "expired_on")
TEXT_FIELDS = ("title", "doc_number", "keywords", "attribute_reason")
CHOICE_FIELDS = {
    "kind": Kind,
    "genre": Genre,
    "validity": Validity,
    "attribute": Attribute,
    "interpretation_form": InterpretationForm,
}
#: Fields a draft's editor sets (the audit row logs them before and after).
EDITABLE = (
    "kind",
    "title",
    "doc_number",
    "written_on",
    "formed_on",
    "effective_on",
    "repealed_on",
    "expired_on",
    "validity",
    "topic",
    "category",
    "genre",
    "keywords",
    "body",
    "is_policy",
    "interpretation_form",
    "attribute",
    "attribute_reason",
)

# Things nh3 would strip that mean the text is not what it claims: refuse rather than guess.
UNSAFE = re.compile(
    r"<\s*(script|style|iframe|object|embed|form|input|link|meta|base)\b|\bon[a-z]+\s*=|"
    r"(java|vb)script\s*:|data\s*:\s*text/html",
    re.I,
)
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "h5",
    "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "a", "img", "span", "div", "hr", "pre", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "*": {"class"},
}


def clean_body(html: str) -> str:
    """Return ``html`` sanitised by nh3; refuse scripts, event handlers and javascript: links.

    A body with a script is refused with a message instead of silently changed, so what the
    drafter approved is what is published.
    """
    html = (html or "").replace("\x00", "")
    if UNSAFE.search(html):
        raise ValidationError(
            {
                "body": "正文含有脚本或不安全的代码（如 <script>、onclick=、javascript:），"
                "请删除后再保存 / the body contains a script or unsafe markup; remove it"
            }
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def parse_date(value: Any, field: str, label: str) -> date | None:
    """Return ``value`` (a date, or text YYYY-MM-DD / YYYY/MM/DD / YYYY年M月D日) as a date."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.date() if hasattr(value, "date") and callable(value.date) else value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValidationError(
        {field: f"{label}「{text[:40]}」不是有效日期（应如 2020-03-15） / not a valid date"}
    )


def _label(field: str) -> str:
    return str(Publication._meta.get_field(field).verbose_name)


def clean_fields(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Return model values for the keys of ``data`` that are publication fields.

    ``topic`` and ``category`` are codes (or rows); ``kind``, ``genre`` and the other choices
    are codes. Dates must be in order: 成文 ≤ 生效 ≤ 废止/失效, 成文 ≤ 形成或变更. Raise one
    ValidationError naming every bad field.
    """
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    data = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}

    def bad(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in TEXT_FIELDS:
        if field in data:
            value = str(data[field] or "").replace("\x00", "").strip()
            limit = Publication._meta.get_field(field).max_length
            if limit and len(value) > limit:
                bad(field, f"{_label(field)}不能超过{limit}个字 / at most {limit} characters")
            out[field] = value
    if (not partial or "title" in data) and not out.get("title"):
        bad("title", "请填写标题 / the title is required")
    for field, choices in CHOICE_FIELDS.items():
        if field in data:
            value = str(data[field] or "").strip()
            if value and value not in choices.values:
                by_label = {str(label): code for code, label in choices.choices}
                if value in by_label:
                    value = by_label[value]
                else:
                    allowed = "、".join(str(label) for _, label in choices.choices)
                    bad(
                        field,
                        f"{_label(field)}「{value[:40]}」无效，可选：{allowed} / unknown value",
                    )
                    continue
            out[field] = value
    if "kind" in out and not out["kind"]:
        out["kind"] = Kind.INFORMATION
    if "validity" in out and not out["validity"]:
        out["validity"] = Validity.IN_FORCE
    for field in DATE_FIELDS:
        if field in data:
            try:
                out[field] = parse_date(data[field], field, _label(field))
            except ValidationError as error:
                for message in error.message_dict[field]:
                    bad(field, message)
    if "body" in data:
        try:
            out["body"] = clean_body(str(data["body"] or ""))
        except ValidationError as error:
            bad("body", error.message_dict["body"][0])
    if "is_policy" in data:
        out["is_policy"] = data["is_policy"] in (True, "1", "true", "True", "是", "on", 1)
    for field, model, what in (
        ("topic", Topic, "主题分类"),
        ("category", CatalogueCategory, "公开目录类别"),
    ):
        if field in data:
            value = data[field]
            if value in (None, ""):
                out[field] = None
            elif isinstance(value, model):
                out[field] = value
            else:
                code = str(value).strip()
                row = (
                    model.objects.filter(code=code).first()
                    or model.objects.filter(name=code).first()
                )
                if row is None:
                    bad(field, f"没有代码或名称为「{code[:40]}」的{what} / unknown {field}")
                else:
                    out[field] = row
    _check_order(out, bad)
    if errors:
        raise ValidationError(errors)
    return out


def _check_order(out: dict[str, Any], bad) -> None:
    written = out.get("written_on")
    for field in ("effective_on", "formed_on"):
        if written and out.get(field) and out[field] < written:
            bad(field, f"{_label(field)}不能早于成文日期 / cannot be before the date written")
    start = out.get("effective_on") or written
    for field in ("repealed_on", "expired_on"):
        if start and out.get(field) and out[field] < start:
            bad(
                field,
                f"{_label(field)}不能早于生效日期或成文日期 / cannot be before it took effect",
            )


def check_consistency(values: dict[str, Any]) -> None:
    """Check the rules across fields of a whole record (after merging a change into it)."""
    errors: dict[str, list[str]] = {}
    if values.get("attribute") in (Attribute.ON_REQUEST, Attribute.WITHHELD) and not values.get(
        "attribute_reason"
    ):
        errors["attribute_reason"] = [
            "依申请公开或不予公开须写明法律依据和理由（条例第十四条至第十六条） / "
            "a legal reason is required unless the item is disclosed proactively"
        ]
    if values.get("validity") == Validity.REPEALED and not values.get("repealed_on"):
        errors["repealed_on"] = ["已废止的须填写废止日期 / a repealed item needs its date"]
    if values.get("validity") == Validity.EXPIRED and not values.get("expired_on"):
        errors["expired_on"] = ["已失效的须填写失效日期 / an expired item needs its date"]
    if values.get("kind") == Kind.INTERPRETATION and not values.get("interpretation_form"):
        errors["interpretation_form"] = [
            "政策解读须选择解读形式 / an interpretation needs its form"
        ]
    if errors:
        raise ValidationError(errors)


def clean_placements(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return placements ``[{channel, column, placed_on}]`` checked (channel known, a date)."""
    out, errors, seen = [], [], set()
    labels = {str(label): code for code, label in Channel.choices}
    if not isinstance(rows, list | tuple):
        raise ValidationError({"placements": "发布渠道应为列表 / placements must be a list"})
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(f"第{i}个渠道格式无效 / placement {i} is not an object")
            continue
        row = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in row.items()}
        channel = str(row.get("channel") or "").strip()
        channel = labels.get(channel, channel)
        if channel not in Channel.values:
            allowed = "、".join(str(label) for _, label in Channel.choices)
            errors.append(f"第{i}个渠道「{channel[:40]}」无效，可选：{allowed} / unknown channel")
            continue
        column = str(row.get("column") or "").strip()[:100]
        try:
            placed_on = parse_date(row.get("placed_on"), "placements", "渠道发布日期")
        except ValidationError as error:
            errors.extend(error.message_dict["placements"])
            continue
        key = (channel, column)
        if key in seen:
            errors.append(f"第{i}个渠道重复 / placement {i} is repeated")
            continue
        seen.add(key)
        out.append({"channel": channel, "column": column, "placed_on": placed_on})
    if errors:
        raise ValidationError({"placements": errors})
    return out


def agencies_by_slug(slugs: list[str], field: str = "co_issuers") -> list[Agency]:
    """Return the agencies named by ``slugs`` (or names), or raise naming the unknown ones."""
    if not isinstance(slugs, list | tuple):
        raise ValidationError({field: "机关应为列表 / a list of agency slugs is expected"})
    wanted = [str(s).replace("\x00", "").strip() for s in slugs if s and str(s).strip()]
    found = {a.slug: a for a in Agency.objects.filter(slug__in=wanted)}
    found.update({a.name: a for a in Agency.objects.filter(name__in=wanted)})
    missing = [s for s in wanted if s not in found]
    if missing:
        raise ValidationError(
            {field: f"没有标识或名称为「{'、'.join(missing)[:80]}」的机关 / unknown agency"}
        )
    return [found[s] for s in wanted]
