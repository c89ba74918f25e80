"""The goal-setting round (seed 000: 员工要写好自己的KPI): a goals workbook per person in which the employee
proposes their targets and goal sentences and the supervisor agrees them (目标确认), and collecting those
workbooks into the targets ``build --targets`` reads, HR's report and the register's agreed version.

Modules: :mod:`.rules` (HR's bounds and the checks of one person's goals, pure), :mod:`.layout` (where every cell
of a goals sheet lives, and its words), :mod:`.book` (the writer), :mod:`.register` (the goals tables of
``issued.sqlite``), :mod:`.collect` (reading returns untrustingly, checking, writing the outputs).
"""
