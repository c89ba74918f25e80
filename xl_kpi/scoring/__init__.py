"""The scoring layer: the engine (single source of truth), its vectorised table path, and how
typed values are read."""

from .engine import CardResult, grade_for, score_card, score_indicator, weighted_total

__all__ = ["CardResult", "grade_for", "score_card", "score_indicator", "weighted_total"]
