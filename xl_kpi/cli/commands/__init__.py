"""The commands, one short module per group; importing this package registers them on the app."""

from . import addin, advice, authoring, build, consolidate, decisions, demo, followup, goals, specs  # noqa: F401
