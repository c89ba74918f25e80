"""The spec layer: the scorecard model, its rules, and loading it from files."""

from .loading import check_spec, load_spec, load_specs, spec_files
from .model import Grade, Indicator, Person, Spec

__all__ = ["Spec", "Indicator", "Grade", "Person", "check_spec", "load_spec", "load_specs", "spec_files"]
