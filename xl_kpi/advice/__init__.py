"""Advice: SMART checks of goals and vague language in reviews, targets from history, splits of
annual targets, department cascades. Below the workbook and consolidation layers, which use it."""
