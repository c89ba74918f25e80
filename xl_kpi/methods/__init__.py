"""The scoring-method registry: every module in this package that defines ``METHOD`` is a method.

Everything that depends on the method of an indicator (spec checks, engine, vectorised path,
sheet formula, parameter cells, standard sentence, top and bottom score, simulations, the
oracle tests) asks :func:`method_of` or :data:`REGISTRY`; nothing tests the class of the
parameters. Adding a method is adding one module here (see ``docs/architecture.md``).
"""

from __future__ import annotations

from ..core.registry import discover
from .bands import Bands, band_score
from .base import COMMON_LABELS, Method, Param, Params, format_value
from .deduction import Deduction
from .linear import Linear
from .rating import Level, Rating

__all__ = ["REGISTRY", "method_of", "method_named", "parameter_word", "Method", "Param", "Params", "Scoring", "format_value",
           "Bands", "Linear", "Deduction", "Rating", "Level", "band_score"]

Scoring = Params  # an indicator's scoring parameters: an instance of a registered method's ``params_class``


REGISTRY: dict[str, Method] = discover(__name__, __path__, "METHOD", Method, "scoring methods")


def method_named(name: str) -> Method:
    """The method registered under ``name`` (the YAML ``method:`` value); KeyError if none."""
    return REGISTRY[name]


def method_of(params: Params) -> Method:
    """The method that owns these scoring parameters."""
    return REGISTRY[params.method]


def parameter_word(key: str) -> tuple[str, str] | None:
    """The (Chinese, English) words of a parameter cell's key, as the method that shows it names it
    (``Method.labels``, then the words several methods share); None when no method names it."""
    for method in REGISTRY.values():
        if key in method.labels:
            return method.labels[key]
    return COMMON_LABELS.get(key)
