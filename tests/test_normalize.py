"""What people type into actual cells, normalised and recorded — never silently guessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_kpi.scoring.normalize import normalise_actual, parse_number


@pytest.mark.parametrize(("typed", "value", "notes"), [
    ("105%", 1.05, {"percent-text", "text-number"}),
    ("１１", 11.0, {"full-width", "text-number"}),
    ("１０５％", 1.05, {"full-width", "percent-text", "text-number"}),
    (" 1,234.5 ", 1234.5, {"spaces", "thousands", "text-number"}),
    ("\u300012\u3000", 12.0, {"full-width", "text-number"}),  # ideographic spaces fold to ASCII spaces
    ("-3", -3.0, {"text-number"}),
    ("1e3", 1000.0, {"text-number"}),
])
def test_numbers_as_people_type_them(typed, value, notes):
    got, found = parse_number(typed)
    assert got == value and notes <= set(found)


@pytest.mark.parametrize("typed", ["nan", "inf", "1_000", "١٢", "12 个 3", "1,23", "--1", "", "abc", "0x10"])
def test_things_float_accepts_but_people_do_not_mean(typed):
    assert parse_number(typed)[0] is None


def test_percent_cells(sales):
    rate = sales.indicator("sales_rate")
    assert normalise_actual(rate, 1.05).value == 1.05
    assert (n := normalise_actual(rate, 105)).value == 1.05 and "percent-scaled" in n.notes  # unambiguous
    assert (n := normalise_actual(rate, 5)).value == 5 and n.ambiguous  # 5% or 500%? kept, flagged
    assert normalise_actual(rate, "105%").value == 1.05


def test_counts_units_booleans_and_blanks(sales):
    customers = sales.indicator("new_customers")
    assert (n := normalise_actual(customers, "11个")).value == 11 and "unit-suffix" in n.notes
    assert normalise_actual(customers, True).error == "boolean"
    assert (n := normalise_actual(customers, "十一")).value == 11 and "chinese-numeral" in n.notes  # a count in words
    assert normalise_actual(customers, "三五").error == "not-a-number"  # "three or five", never 35
    assert normalise_actual(sales.indicator("sales_rate"), "十一").error == "not-a-number"  # not a count
    assert normalise_actual(customers, "50%").error == "not-a-number"  # a percentage in a count cell
    assert normalise_actual(customers, None).value is None and normalise_actual(customers, "  ").value is None
    assert normalise_actual(customers, float("inf")).error == "not-finite"


def test_rating_levels(specs):
    collab = specs["manager"].indicator("collaboration")
    assert normalise_actual(collab, " b ").value == "b"
    assert normalise_actual(collab, "Ｂ").value == "B"
    assert normalise_actual(collab, "E").error == "unknown-level"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_a_number_written_as_text_reads_back_as_itself(x):
    assert parse_number(repr(x))[0] == x


def test_a_number_out_of_range_in_a_percentage_cell_is_shown_as_the_sheet_reads_it(sales):
    """112 typed into a cell formatted as a percentage is 11200%: the message says so and how to type 112%."""
    from xl_kpi.scoring.normalize import normalise_finding

    rate = sales.indicators[0]
    found = normalise_finding(rate, 112.0, normalise_actual(rate, 112.0, percent_cell=True), cell="H8")
    assert found.code == "out-of-range"
    assert "112(即 11200%)" in found.message.zh and "112 (that is 11200%)" in found.message.en
    assert "112%" in found.hint.zh and "1.12" in found.hint.en
    typed_as_text = normalise_finding(rate, "1200%", normalise_actual(rate, "1200%"), cell="H8")
    assert "即" not in typed_as_text.message.zh  # typed with its % sign: shown as typed
