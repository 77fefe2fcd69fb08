"""Errors raised by core with enough context for the user to act on them."""

from __future__ import annotations


class EcoZoningError(Exception):
    """A user-facing error: says what is wrong, where, and what to do."""


class TaxonomyError(EcoZoningError):
    def __init__(self, problems: list[str], path: str = "<taxonomy>"):
        self.problems = problems
        self.path = path
        super().__init__(f"Invalid taxonomy file {path}:\n" + "\n".join(f"  - {p}" for p in problems))


class InputError(EcoZoningError):
    """Bad input data (layer, feature, field)."""
