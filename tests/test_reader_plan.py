"""What the reader checks on a person's sheet is planned once per template, not once per person: a person's own
targets change only the rule checks (the targets the sheet must show), so the reader makes the template's plan
once and only the person's checks anew — every bundled template, with peers and personal targets, held here to
the plan made from the person's own copy of the rules."""

from __future__ import annotations

import dataclasses

import pytest

from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.plan import _build_plan, plan
from xl_kpi.sheet.person import FORMAT_VERSION
from xl_kpi.spec import load_specs
from xl_kpi.spec.raters import peer_rater, with_peers

from .conftest import TEMPLATES

SPECS = load_specs(TEMPLATES)


def _personal(spec, k):
    """Someone's own targets: each numeric target moved (a different amount per person)."""
    return {ind.id: ind.target * (1.1 + k / 10) + k for ind in spec.indicators if isinstance(ind.target, (int, float))}


def _shown(checks):
    """Rule checks as compared: code, cell, value expected, what, and how the message shows the value."""
    return [(code, ref, want, name, show(want)) for code, ref, want, name, show in checks]


@pytest.mark.parametrize("template", sorted(SPECS))
@pytest.mark.parametrize("mode", ["native", "udf"])
def test_a_persons_plan_is_the_templates_with_their_own_rule_checks(template, mode):
    cache = ReaderCache()
    for peers in (0, 3):
        base = with_peers(SPECS[template], peers)
        for k in range(2):
            person = base.with_targets(_personal(base, k))
            assert person is not base
            got, own = plan(person, mode, FORMAT_VERSION, cache, base), _build_plan(person, mode, FORMAT_VERSION)
            assert dataclasses.replace(got, rule_checks=[]) == dataclasses.replace(own, rule_checks=[])
            assert _shown(got.rule_checks) == _shown(own.rule_checks)
            assert _shown(got.rule_checks) != _shown(plan(base, mode, FORMAT_VERSION, cache).rule_checks)  # their targets checked
    assert len(cache.plans) == (2 if peer_rater(SPECS[template]) else 1)  # one plan per shape of the card, however many people
