"""The sheet layer: where every cell of a generated sheet lives (layouts), the engine's rules as
portable formulas, and the metadata format. Pure: no Excel library is imported here."""
