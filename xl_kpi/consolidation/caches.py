"""What a reader remembers from one return to the next, in one bounded object the runner makes per worker.

Returns of one template share most of their bytes: the workbook's structure, styles and metadata sheet,
the shared strings of the rules and labels, the cells of the rules and formulas, and the spec they were
issued with. The reader uses that without trusting it — equality of bytes, never of a hash or a CRC,
decides every reuse — and keeps what it learnt here, not in module-level state: a worker holds one
:class:`ReaderCache` for all its files (a few MB at most however varied the returns), a test or a
single read gets a fresh one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..core.packages import SeenParts

__all__ = ["Bounded", "ReaderCache"]

K = TypeVar("K")
V = TypeVar("V")


class Bounded(dict[K, V]):
    """A dict that forgets everything once it holds ``size`` entries (the reader's caches are hit by
    returns of a few templates; when they are not, starting over costs one parse per entry)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def put(self, key: K, value: V) -> V:
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value


@dataclass
class ReaderCache:
    """Everything the reader keeps across files, each part bounded (sizes in entries)."""

    parts: SeenParts = field(default_factory=lambda: SeenParts(64))  # small parts by their compressed bytes (~8 MB)
    books: Bounded[tuple[bytes, bytes], Any] = field(default_factory=lambda: Bounded(64))  # workbook structure by its parts
    percent: Bounded[bytes, frozenset[int]] = field(default_factory=lambda: Bounded(64))  # styles part → percent styles
    masking: Bounded[bytes, Any] = field(default_factory=lambda: Bounded(64))  # styles part → formats showing other than held
    strings: Bounded[bytes, str] = field(default_factory=lambda: Bounded(2048))  # a shared string's markup → text (~8 MB)
    long_strings: Bounded[bytes, str] = field(default_factory=lambda: Bounded(16))  # one of 4-256 KB (≤ 4 MB)
    texts: Bounded[bytes, str] = field(default_factory=lambda: Bounded(64))  # long inline texts (a spec's rules) → text
    rows: Bounded[bytes, Any] = field(default_factory=lambda: Bounded(128))  # a metadata row of inline texts → its cells (≤ 4 MB)
    cells: Bounded[bytes, list[tuple[bytes, Any, int]]] = field(default_factory=lambda: Bounded(4096))  # (~8 MB)
    misses: Bounded[bytes, int] = field(default_factory=lambda: Bounded(4096))  # a cell's start → times its markup was new
    skeletons: Bounded[tuple[bytes, int, int], Any] = field(default_factory=lambda: Bounded(16))  # metadata sheets' cells
    orders: Bounded[tuple[str, ...], Any] = field(default_factory=lambda: Bounded(64))  # wanted cells in row order
    kinds: Bounded[bytes, str | None] = field(default_factory=lambda: Bounded(256))  # a cell tag's attributes → its type
    plans: Bounded[tuple[str, str, int], Any] = field(default_factory=lambda: Bounded(256))  # what to read of a spec's sheet
    layouts: Bounded[tuple[str, str, int, bool, tuple[str, ...]], Any] = field(default_factory=lambda: Bounded(256))  # rating sheets
    shaped: Bounded[tuple[str, int], Any] = field(default_factory=lambda: Bounded(256))  # (spec, peers) → the spec so rated
    specs: Bounded[str, Any] = field(default_factory=lambda: Bounded(256))  # a spec's canonical JSON → the spec
    formulas: Bounded[str, str] = field(default_factory=lambda: Bounded(4096))  # a formula as read → normalised
    targets: Bounded[str, Any] = field(default_factory=lambda: Bounded(4096))  # a person's targets as recorded → parsed
    protections: Bounded[bytes, Any] = field(default_factory=lambda: Bounded(128))  # a sheet's tail → its protection
    issued: Bounded[str, Any] = field(default_factory=lambda: Bounded(256))  # protection as issued (JSON) → read
    passwords: Bounded[str, str] = field(default_factory=lambda: Bounded(64))  # an .ods protection key → Excel's hash
    reviews: Bounded[tuple[str, str, str], Any] = field(default_factory=lambda: Bounded(4096))  # a review text → its findings
