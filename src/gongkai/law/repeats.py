"""Flag likely repeat applications for the clerk (《政府信息公开条例》第三十六条第（六）项、第三十五条).

Art. 36(6) lets an agency decline to process again an application the same applicant already
had answered; Art. 35 covers applications clearly beyond a reasonable number or frequency.
Both are judgments for a person: this module only *flags* candidates, it never rejects.

Similarity is the Jaccard index of character bigrams after normalising the text (NFKC width
folding, lower case, punctuation and spaces dropped, and boilerplate such as 「申请公开」
「政府信息」 removed so two unrelated requests do not look alike because both are requests).
Numbers weigh more: a request names a document by its 文号 or year (Art. 29(2)), so when both
texts contain numbers the bigram score is multiplied by the Jaccard index of their number sets
(「2021年第3号」 and 「2021年第5号」 are different documents however alike the words). No external
service, no dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

__all__ = ["DEFAULT_THRESHOLD", "RepeatMatch", "likely_repeats", "normalise", "similarity"]

#: Calibrated on the examples in tests/law/test_repeats.py: reworded requests for the same
#: document score above it, different documents of the same office below it.
DEFAULT_THRESHOLD = 0.5

# Longest first, so 「申请公开」 goes before 「公开」.
_BOILERPLATE = sorted(
    (
        "本人",
        "我",
        "特此",
        "依据政府信息公开条例",
        "根据政府信息公开条例",
        "政府信息公开条例",
        "依法",
        "申请公开",
        "请求公开",
        "要求公开",
        "请公开",
        "申请",
        "公开",
        "政府信息",
        "相关信息",
        "有关信息",
        "相关",
        "有关",
        "关于",
        "提供",
        "的",
    ),
    key=len,
    reverse=True,
)


def normalise(text: str) -> str:
    """Return ``text`` folded for comparison: NFKC, lower case, no punctuation or boilerplate."""
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")
    for phrase in _BOILERPLATE:
        kept = kept.replace(phrase, "")
    return kept


def _grams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset({text}) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _numbers(text: str) -> frozenset[str]:
    return frozenset(n.lstrip("0") or "0" for n in _DIGITS.findall(text))


_DIGITS = re.compile(r"[0-9]+")


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b)


def similarity(a: str, b: str) -> float:
    """Return the similarity of two request descriptions, from 0.0 (nothing shared) to 1.0.

    Texts that are empty after normalising score 0.0: there is nothing to compare.
    """
    na, nb = normalise(a), normalise(b)
    ga, gb = _grams(na), _grams(nb)
    if not ga or not gb:
        return 0.0
    score = _jaccard(ga, gb)
    numbers_a, numbers_b = _numbers(na), _numbers(nb)
    if numbers_a and numbers_b:
        score *= _jaccard(numbers_a, numbers_b)
    return score


@dataclass(frozen=True)
class RepeatMatch:
    """An earlier application that looks like the new one: its reference and its score."""

    ref: Hashable
    score: float


def likely_repeats(
    new: str,
    earlier: Iterable[tuple[Hashable, str]],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[RepeatMatch]:
    """Return the earlier applications whose description scores at least ``threshold``.

    ``earlier`` holds ``(reference, description)`` pairs of the *same applicant's* earlier
    applications (the caller selects them). Best match first. A flag for the clerk, never a
    rejection: whether Art. 36(6) applies needs a person.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(
            f"相似度阈值应在 0 与 1 之间（实为 {threshold}） / threshold must be in (0, 1], "
            f"got {threshold}"
        )
    matches = [RepeatMatch(ref, similarity(new, text)) for ref, text in earlier]
    hits = [m for m in matches if m.score >= threshold]
    return sorted(hits, key=lambda m: m.score, reverse=True)
