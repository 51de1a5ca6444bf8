"""Compose a letter from its Django template (``letters/<key>.txt``) and the case's facts.

Templates are found the way Django finds any template, so a file in
``GONGKAI_DATA_DIR/templates/letters/`` overrides the built-in one. They are rendered without
HTML escaping (the text is plain; each renderer escapes for its own output format).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError, engines

from gongkai.letters.catalog import LETTERS
from gongkai.letters.model import Letter, LetterRenderError
from gongkai.letters.parse import parse_letter

__all__ = ["compose_letter", "compose_reply", "template_name"]


def template_name(key: str) -> str:
    return f"letters/{key}.txt"


def compose_letter(key: str, context: Mapping[str, Any]) -> Letter:
    """Render the letter ``key`` with ``context`` (see gongkai.letters.catalog for the variables).

    Dates may be given as ``datetime.date`` or ISO strings. Raise LetterRenderError, Chinese
    first, when the key is unknown, a required variable is missing or the template is broken.
    """
    spec = LETTERS.get(key)
    if spec is None:
        raise LetterRenderError(
            f"没有名为 {key!r} 的告知书模板 / no letter template named {key!r}"
            f" (known: {', '.join(sorted(LETTERS))})"
        )
    ctx = {name: _date_or_value(name, value) for name, value in context.items()}
    missing = [name for name in spec.all_required if ctx.get(name) in (None, "", [], ())]
    if missing:
        raise LetterRenderError(
            f"生成《{spec.name_zh}》缺少：{'、'.join(missing)} / letter {key!r} needs: "
            + ", ".join(missing)
        )
    for name, allowed in spec.choices:
        if ctx.get(name) not in allowed:
            raise LetterRenderError(
                f"{name} 的值 {ctx.get(name)!r} 不在可选范围内：{'、'.join(allowed)}"
                f" / {name} must be one of: {', '.join(allowed)}"
            )
    ctx["you"] = {True: "你单位", False: "你"}.get(ctx.get("applicant_is_org"), "你（单位）")
    try:
        template = engines["django"].engine.get_template(template_name(key))
        text = template.render(Context(ctx, autoescape=False))
    except TemplateDoesNotExist as exc:
        raise LetterRenderError(
            f"找不到模板 {template_name(key)} / template {template_name(key)} not found"
        ) from exc
    except TemplateSyntaxError as exc:
        raise LetterRenderError(
            f"模板 {template_name(key)} 有语法错误：{exc} / template syntax error: {exc}"
        ) from exc
    return parse_letter(text, context=ctx, key=key)


def compose_reply(disposition: str, context: Mapping[str, Any]) -> Letter:
    """Compose the letter for an application's disposition (gongkai.law.dispositions).

    The disposition's value is passed to the template as ``ground`` (the 不予公开 letter words
    its reasons and articles by ground).
    """
    from gongkai.law.dispositions import DISPOSITIONS, Disposition

    try:
        info = DISPOSITIONS[Disposition(disposition)]
    except ValueError:
        raise LetterRenderError(
            f"未知的办理结果 {disposition!r} / unknown disposition {disposition!r}"
        ) from None
    return compose_letter(info.letter, {**context, "ground": str(Disposition(disposition))})


def _date_or_value(name: str, value: Any) -> Any:
    """Accept ISO strings for the date variables (those ending in ``_on``)."""
    if not name.endswith("_on") or not isinstance(value, str) or not value:
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise LetterRenderError(
            f"{name} 应为日期（如 2026-11-27），实际为 {value!r} / {name} must be a date"
        ) from None
