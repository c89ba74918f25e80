"""The lowest layer: bilingual text, the findings catalogue, exceptions, Excel's ROUND, A1
references and safe file writing. It imports nothing else from xl-kpi."""
