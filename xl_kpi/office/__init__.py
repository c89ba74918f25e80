"""Real spreadsheet engines run from the command line (LibreOffice, Gnumeric): the oracles the
tests recalculate generated workbooks with, and what renders them to PDF for the docs."""
