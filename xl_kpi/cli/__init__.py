"""The command line: thin commands over the library (``xl_kpi.api``)."""

from . import commands  # noqa: F401 - registers the commands
from .app import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, app, main, run

__all__ = ["app", "run", "main", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_INTERNAL", "EXIT_INTERRUPTED"]
