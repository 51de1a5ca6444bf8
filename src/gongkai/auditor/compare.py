"""Two reports side by side, cell by cell, with the carry-over check between two years.

《政府信息公开条例》第五十条: each year's report carries last year's unfinished applications
(上年结转) from the year before's 结转下年度; ``cross_year.carry`` checks that they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from gongkai.annual.document import Document, iter_cells
from gongkai.annual.pairing import carry_findings, consecutive, order_by_year
from gongkai.annual.render.grid import build_tables, format_value
from gongkai.auditor.presenting import HEADINGS, Mark, anchor, cell_label, shown_table


@dataclass
class Comparison:
    earlier: Document
    later: Document
    differences: list[dict] = field(default_factory=list)
    carry: list[dict] | None = None  # None: not two consecutive years, so not checked
    carry_note: str = ""
    same_agency: bool = True
    tables: list[dict] = field(default_factory=list)


def compare_documents(first: Document, second: Document) -> Comparison:
    """Return the comparison of two documents, earlier year on the left."""
    earlier, later = order_by_year(first, second)
    result = Comparison(earlier, later)
    result.same_agency = bool(earlier.get("agency")) and earlier.get("agency") == later.get(
        "agency"
    )
    before = dict(iter_cells(earlier))
    after = dict(iter_cells(later))
    left: dict[str, Mark] = {}
    right: dict[str, Mark] = {}
    for path, value in after.items():
        if path in before and before[path] != value:
            old = before[path]
            blank = gettext("空")
            result.differences.append(
                {
                    "path": path,
                    "anchor": anchor("b", path),
                    "label": cell_label(later, path),
                    "before": format_value(old) or blank,
                    "after": format_value(value) or blank,
                }
            )
            year = gettext("%(year)s年：%(value)s")
            left[path] = Mark(
                "diff",
                note=year % {"year": later.get("year"), "value": format_value(value) or blank},
            )
            right[path] = Mark(
                "diff",
                note=year % {"year": earlier.get("year"), "value": format_value(old) or blank},
            )
    if consecutive(earlier, later):
        found = [f.to_dict() for f in carry_findings(later, earlier)]
        result.carry = found
        for number, finding in enumerate(found, start=1):
            for path in finding["cells"]:
                right[path] = Mark("warning", [number], finding["message"])
                column = path.rsplit(".", 1)[1]
                left[f"applications.carried_forward.{column}"] = Mark(
                    "warning", [number], finding["message"]
                )
    else:
        result.carry_note = (
            f"两份报告不是相邻年度（{earlier.get('year') or '？'}年、{later.get('year') or '？'}年），"
            "不检查上年结转 / not consecutive years: carry-over not checked"
        )
    old_tables, new_tables = build_tables(earlier), build_tables(later)
    for part, heading in HEADINGS.items():
        if part not in old_tables and part not in new_tables:
            continue
        result.tables.append(
            {
                "heading": heading,
                "left": shown_table(old_tables[part], left, "a") if part in old_tables else None,
                "right": shown_table(new_tables[part], right, "b") if part in new_tables else None,
            }
        )
    return result
