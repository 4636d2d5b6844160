"""One structured text of a document, printed both as PDF and as an editable Word file.

A kind that people edit before signing (orders, the regulation, letters) builds its text
once as a list of blocks (`DocumentContent`); `templates/documents/act.html` lays the
blocks out for WeasyPrint and `mentorship.documents.word` writes the same blocks with
python-docx. Neither adds a word of its own, so the PDF and the .docx cannot drift: a
test compares their texts block by block.

Text in blocks is plain text, never HTML: the template autoescapes it, python-docx
writes it as runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Block:
    kind: ClassVar[str] = ""

    def texts(self) -> Iterator[str]:
        yield from ()


@dataclass(frozen=True)
class Letterhead(Block):
    """The issuing body, centred: the parent (an education department) above the issuer."""

    kind: ClassVar[str] = "letterhead"
    issuer: str
    parent: str = ""

    def texts(self) -> Iterator[str]:
        if self.parent:
            yield self.parent
        yield self.issuer


@dataclass(frozen=True)
class DocType(Block):
    """«ПРИКАЗ», «ПОЛОЖЕНИЕ», «СЕРТИФИКАТ»: centred capitals, written as capitals (the
    PDF's style would capitalise it on the page only, and the .docx would differ)."""

    kind: ClassVar[str] = "doctype"
    text: str

    def __post_init__(self) -> None:
        if self.text != self.text.upper():
            raise ValueError("A document type is written in capitals")

    def texts(self) -> Iterator[str]:
        yield self.text


@dataclass(frozen=True)
class RegLine(Block):
    """Date on the left, «№ 12» on the right, on one line."""

    kind: ClassVar[str] = "regline"
    date: str
    number: str = ""

    @property
    def number_text(self) -> str:
        return f"№ {self.number}" if self.number else ""

    def texts(self) -> Iterator[str]:
        yield self.date
        if self.number:
            yield self.number_text


@dataclass(frozen=True)
class Title(Block):
    """The heading of the text: centred bold («О внедрении целевой модели …»)."""

    kind: ClassVar[str] = "title"
    text: str

    def texts(self) -> Iterator[str]:
        yield self.text


@dataclass(frozen=True)
class Heading(Block):
    """A section heading inside the text («1. Общие положения»)."""

    kind: ClassVar[str] = "heading"
    text: str

    def texts(self) -> Iterator[str]:
        yield self.text


# Paragraph styles, the same names in documents.css (`p.<style>`) and in word.py.
BODY = "body"  # justified, first-line indent
PLAIN = "plain"  # justified, no indent
CENTER = "center"
VERB = "verb"  # «ПРИКАЗЫВАЮ:» — bold, no indent
ITEM = "item"  # a numbered item whose number is part of its text
BIG = "big"  # a certificate's large centred line
STYLES = (BODY, PLAIN, CENTER, VERB, ITEM, BIG)


@dataclass(frozen=True)
class Para(Block):
    kind: ClassVar[str] = "para"
    text: str
    style: str = BODY
    bold: bool = False

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"Unknown paragraph style {self.style!r}")

    def texts(self) -> Iterator[str]:
        yield self.text


@dataclass(frozen=True)
class Stamp(Block):
    """Lines in a block at the right: «УТВЕРЖДЕНО приказом …», an appendix's reference,
    a letter's addressee."""

    kind: ClassVar[str] = "stamp"
    lines: tuple[str, ...]

    def texts(self) -> Iterator[str]:
        yield from self.lines


@dataclass(frozen=True)
class Table(Block):
    """A ruled table; `widths` in per cent of the text width, one per column."""

    kind: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if any(len(row) != len(self.headers) for row in self.rows):
            raise ValueError("Every row needs one cell per header")
        if self.widths and len(self.widths) != len(self.headers):
            raise ValueError("One width per column")

    def texts(self) -> Iterator[str]:
        yield from self.headers
        for row in self.rows:
            yield from row


@dataclass(frozen=True)
class Signature(Block):
    """Position on the left, a line to sign on, the name on the right."""

    kind: ClassVar[str] = "signature"
    position: str
    name: str

    def texts(self) -> Iterator[str]:
        yield self.position
        if self.name:
            yield self.name


@dataclass(frozen=True)
class PageBreak(Block):
    kind: ClassVar[str] = "pagebreak"


@dataclass
class DocumentContent:
    """The blocks of one document, in order."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> DocumentContent:
        self.blocks.extend(blocks)
        return self

    def paragraphs(self, texts: Sequence[str], style: str = BODY) -> DocumentContent:
        return self.add(*(Para(text, style) for text in texts))

    def items(self, texts: Sequence[str], start: int = 1) -> DocumentContent:
        """Numbered items «1. …», the number written into the text (both formats alike)."""
        return self.add(*(Para(f"{n}. {t}", ITEM) for n, t in enumerate(texts, start=start)))

    def texts(self) -> list[str]:
        """Every piece of text in reading order: what both the PDF and the .docx hold."""
        return [text for block in self.blocks for text in block.texts() if text]
