"""Severity of what validation and filing checks find (domain.md §7): an `error` stops a package from being
filed; a `review` item (a protected sliver kept on purpose, a note) is for the receiving department to look at.
A package with review items only is ready to file."""

from __future__ import annotations

from collections.abc import Iterable

ERROR = "error"
REVIEW = "review"
SEVERITIES = (ERROR, REVIEW)
SEVERITY_LABELS = {ERROR: "错误 Error", REVIEW: "待核实 Review"}
# subtypes whose small parts delineation keeps on purpose (never absorbed into a neighbour)
PROTECTED_SUBTYPES = frozenset({"eco_redline", "water_priority"})
REVIEW_KINDS = frozenset({"note", "small_unit"})


def severity_of(kind: str, subtype: str = "") -> str:
    if kind in REVIEW_KINDS or (kind == "sliver" and str(subtype or "") in PROTECTED_SUBTYPES):
        return REVIEW
    return ERROR


def count_by_severity(items: Iterable) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for item in items:
        severity = getattr(item, "severity", ERROR)
        counts[severity] = counts.get(severity, 0) + 1
    return counts


def readiness(items: Iterable) -> tuple[bool, str]:
    """(ready to file, the sentence a report opens with)."""
    counts = count_by_severity(items)
    errors, reviews = counts[ERROR], counts[REVIEW]
    if errors:
        return (
            False,
            f"不可备案：{errors} 个错误须修正，{reviews} 项待核实 Not ready to file: {errors} errors to fix, {reviews} items to review",
        )
    if reviews:
        return True, f"可以备案：无错误，{reviews} 项待核实 Ready to file: no errors, {reviews} items to review"
    return True, "通过，可以备案：未发现问题 Passed, ready to file: no problems found"
