"""The query's syntax tree and the recursive-descent parser that builds it
from the tokens, with the errors of a malformed query."""

from __future__ import annotations

from dataclasses import dataclass, field

from paperread.query.context import QueryError, _column
from paperread.query.lexer import _Token

MAX_NESTING = 32  # parentheses deeper than this are refused, keeping recursion bounded


@dataclass(frozen=True, slots=True)
class _Text:
    value: str  # whitespace-normalised, original case (so are _Field values)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    value: str
    value_pos: int = field(compare=False)


@dataclass(frozen=True, slots=True)
class _Not:
    operand: _Node


@dataclass(frozen=True, slots=True)
class _All:
    operands: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Any:
    operands: tuple[_Node, ...]


_Node = _Text | _Field | _Not | _All | _Any
_TERM_STARTS = ("WORD", "FIELD", "NOT", "(")


class _Parser:
    """Recursive descent over: or := and (OR and)*; and := unary (AND? unary)*;
    unary := NOT* atom; atom := WORD | FIELD | '(' or ')'."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> _Node:
        node = self.parse_or(0)
        extra = self.peek()
        if extra is not None:  # only an unmatched ')' stops parse_or early
            raise QueryError(
                f"unexpected ')' at {_column(extra.pos)} (no '(' before it)", extra.pos
            )
        return node

    def parse_or(self, depth: int) -> _Node:
        operands = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self.require_term_after(token, "OR")
            operands.append(self.parse_and(depth))
        return operands[0] if len(operands) == 1 else _Any(tuple(operands))

    def parse_and(self, depth: int) -> _Node:
        operands = [self.parse_unary(depth)]
        while (token := self.peek()) is not None and token.kind in ("AND", *_TERM_STARTS):
            if token.kind == "AND":
                self.take()
                self.require_term_after(token, "AND")
            operands.append(self.parse_unary(depth))
        return operands[0] if len(operands) == 1 else _All(tuple(operands))

    def parse_unary(self, depth: int) -> _Node:
        negated = False
        while (token := self.peek()) is not None and token.kind == "NOT":
            self.take()
            self.require_term_after(token, "'-'")
            negated = not negated
        node = self.parse_atom(depth)
        return _Not(node) if negated else node

    def parse_atom(self, depth: int) -> _Node:
        token = self.tokens[self.index]  # callers made sure a token follows
        if token.kind in ("OR", "AND"):
            raise QueryError(
                f"{token.kind} at {_column(token.pos)} needs a term before it", token.pos
            )
        if token.kind == ")":
            raise QueryError(f"unexpected ')' at {_column(token.pos)}", token.pos)
        self.take()
        if token.kind == "WORD":
            return _Text(token.value)
        if token.kind == "FIELD":
            return _Field(token.field_name, token.value, token.value_pos)
        return self.parse_group(token, depth)

    def parse_group(self, opening: _Token, depth: int) -> _Node:
        if depth >= MAX_NESTING:
            raise QueryError(
                f"parentheses nested too deep at {_column(opening.pos)} (at most {MAX_NESTING})",
                opening.pos,
            )
        token = self.peek()
        if token is not None and token.kind == ")":
            raise QueryError(f"empty parentheses at {_column(opening.pos)}", opening.pos)
        node = self.parse_or(depth + 1) if token is not None else None
        # parse_or stops only at ')' or at the end of the query
        if node is None or self.peek() is None:
            end = len(self.text)
            raise QueryError(
                f"expected ')' at {_column(end)} to close '(' at {_column(opening.pos)}", end
            )
        self.take()
        return node

    def require_term_after(self, token: _Token, what: str) -> None:
        following = self.peek()
        if following is None or following.kind not in _TERM_STARTS:
            raise QueryError(f"{what} at {_column(token.pos)} needs a term after it", token.pos)
