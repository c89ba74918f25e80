"""Tables people give xl-kpi — rosters, actuals, personal targets — read and checked row by row."""
