"""Whether one query provably narrows another (``Query.refines``): each
conjunct of the broader query is implied by one of the narrower's."""

from __future__ import annotations

from paperread.query.context import fold
from paperread.query.syntax import _All, _Field, _Node, _Not, _Text


def _conjuncts(node: _Node) -> tuple[_Node, ...]:
    return node.operands if isinstance(node, _All) else (node,)


def _text_scope(node: _Node) -> tuple[str, str] | None:
    """(part, folded needle) of a positive substring test; part "" is the
    whole search text."""
    if isinstance(node, _Text):
        return "", fold(node.value)
    if isinstance(node, _Field) and node.name in ("title", "author", "abs"):
        return node.name, fold(node.value)
    return None


def _implies(narrow: _Node, broad: _Node) -> bool:
    """Whether ``narrow`` provably implies ``broad`` (False when unsure)."""
    if narrow == broad:
        return True
    if isinstance(narrow, _Not) and isinstance(broad, _Not):
        return _implies(broad.operand, narrow.operand)
    inner, outer = _text_scope(narrow), _text_scope(broad)
    if inner is None or outer is None:
        return False
    return outer[0] in ("", inner[0]) and outer[1] in inner[1]
