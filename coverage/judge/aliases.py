"""The document's own name for a role a summary names differently ("the Recipient" for "Receiving Party").

A non-disclosure agreement calls its parties "the Recipient" and "the
Discloser", or "the Receiving Party" and "the Disclosing Party": the same
roles. A summary (or a ContractNLI hypothesis) says "Receiving Party" about an
NDA that only ever says "Recipient", and the judge, trained on swapped
parties, reads the change of name as a different party: on ContractNLI's real
NDAs it read faithful statements as contradicted for that reason.

:func:`in_document_terms` rewrites what the judge reads of an evidence
window so that it names the role as the claim does, and only when the
document never uses the claim's name and uses exactly one other name of the
same role. The window keeps its document offsets: only its text for the judge
changes, as for folded ligatures. Names of *different* roles are never
merged, so a summary that puts the Discloser in the Recipient's place is still
read against a window that names the Discloser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts.names import ROLE_NAMES, ROLE_PATTERNS
from ..facts.names import role_names_used as names_used

__all__ = ["ROLE_NAMES", "aliases", "in_document_terms", "names_used"]


def aliases(claim: str, used: frozenset[str]) -> list[tuple[re.Pattern[str], str]]:
    """``(pattern of the document's name, the claim's name)`` for each role the two name differently.

    ``used`` is :func:`names_used` of the document.
    """
    out: list[tuple[re.Pattern[str], str]] = []
    for names in ROLE_NAMES:
        said = [(n, m.group()) for n in names if (m := ROLE_PATTERNS[n].search(claim))]
        if len(said) != 1 or said[0][0] in used:
            continue  # the claim names the role twice over, or the document uses the claim's name
        other = [n for n in names if n in used]
        if len(other) == 1:
            out.append((ROLE_PATTERNS[other[0]], said[0][1]))
    return out


def in_document_terms(text: str, rewrites: Sequence[tuple[re.Pattern[str], str]]) -> str:
    """``text`` with each role named as the claim names it (see :func:`aliases`).

    Example:
        >>> doc = "The Recipient shall return all copies."
        >>> rw = aliases("Receiving Party may keep one copy.", names_used(doc))
        >>> in_document_terms(doc, rw)
        'The Receiving Party shall return all copies.'
    """
    for pattern, name in rewrites:
        text = pattern.sub(name, text)
    return text
