"""A dozen lines of parser combinators over tokens, with full backtracking.

A parser takes the tokens and a position and yields every (value, next position) it can
read from there, in order of preference. `first_complete` takes the first reading that
uses every token: a phrase understood only in part has no complete reading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .tokens import Token

__all__ = [
    "Parser",
    "alt",
    "first_complete",
    "lazy",
    "listed",
    "many",
    "maybe",
    "pick",
    "seq",
    "some",
    "tok",
    "using",
    "where",
]

Parser = Callable[[list[Token], int], Iterator[tuple[Any, int]]]
_ANY = object()


class Values(tuple):
    """The values of a sequence's parts: `using` spreads them as arguments."""


def tok(kind: str, value: Any = _ANY) -> Parser:
    """One token of this kind (and value); its value is the token's value."""

    def parse(tokens: list[Token], i: int) -> Iterator[tuple[Any, int]]:
        if i < len(tokens) and tokens[i].kind == kind and value in (_ANY, tokens[i].value):
            yield tokens[i].value, i + 1

    return parse


def seq(*parsers: Parser) -> Parser:
    """All of them, one after another; the value is the tuple of their values."""

    def parse(tokens: list[Token], i: int, k: int = 0) -> Iterator[tuple[Any, int]]:
        if k == len(parsers):
            yield Values(), i
            return
        for value, j in parsers[k](tokens, i):
            for rest, end in parse(tokens, j, k + 1):
                yield Values((value, *rest)), end

    return lambda tokens, i: parse(tokens, i)


def alt(*parsers: Parser) -> Parser:
    """Any of them, the first one preferred."""

    def parse(tokens: list[Token], i: int) -> Iterator[tuple[Any, int]]:
        for parser in parsers:
            yield from parser(tokens, i)

    return parse


def maybe(parser: Parser, default: Any = None) -> Parser:
    """The parser, or nothing (preferring the parser)."""

    def parse(tokens: list[Token], i: int) -> Iterator[tuple[Any, int]]:
        yield from parser(tokens, i)
        yield default, i

    return parse


def using(parser: Parser, build: Callable[..., Any]) -> Parser:
    """The parser's value passed through `build` (a sequence's values as arguments)."""

    def parse(tokens: list[Token], i: int) -> Iterator[tuple[Any, int]]:
        for value, j in parser(tokens, i):
            yield (build(*value) if isinstance(value, Values) else build(value)), j

    return parse


def pick(index: int, *parsers: Parser) -> Parser:
    """A sequence whose value is the value of one of its parts."""
    return using(seq(*parsers), lambda *values: values[index])


def listed(item: Parser, separator: Parser, minimum: int = 2) -> Parser:
    """`item (separator item)*` with at least `minimum` items; the value is their list."""

    def parse(tokens: list[Token], i: int, found: tuple = ()) -> Iterator[tuple[Any, int]]:
        for value, j in item(tokens, i):
            items = (*found, value)
            for _sep, k in separator(tokens, j):
                yield from parse(tokens, k, items)
            if len(items) >= minimum:
                yield list(items), j

    return lambda tokens, i: parse(tokens, i)


def some(parser: Parser) -> Parser:
    """One or more of the parser, the longest run preferred; the value is their list."""
    return listed(parser, _nothing, minimum=1)


def many(parser: Parser) -> Parser:
    """Zero or more of the parser, the longest run preferred; the value is their list."""
    return maybe(some(parser), [])


def _nothing(tokens: list[Token], i: int) -> Iterator[tuple[Any, int]]:
    yield None, i


def where(parser: Parser, test: Callable[[Any], bool]) -> Parser:
    """The parser's readings whose value passes `test`."""

    def parse(tokens: list[Token], i: int) -> Iterator[tuple[Any, int]]:
        for value, j in parser(tokens, i):
            if test(value):
                yield value, j

    return parse


def lazy(make: Callable[[], Parser]) -> Parser:
    """A parser defined further down (a rule that refers to a later one)."""
    return lambda tokens, i: make()(tokens, i)


def first_complete(parser: Parser, tokens: list[Token]) -> Any:
    """The value of the first reading that uses every token, else None."""
    for value, end in parser(tokens, 0):
        if end == len(tokens):
            return value
    return None
