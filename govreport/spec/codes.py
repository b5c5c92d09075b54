"""The catalogue of finding codes: each code's severity and what it means.

Every :class:`~govreport.model.Finding` carries one of these codes (the model refuses any
other), and the documentation's checks catalogue is generated from this table.
"""

from __future__ import annotations

import enum

from attrs import frozen

from govreport.spec.relations import KINDS as RELATION_KINDS


class Severity(enum.Enum):
    """How much a finding matters: an error in the source, a warning, or information."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@frozen
class Code:
    code: str
    severity: Severity
    meaning: str
    #: What produces it: ``check`` (a report's own consistency), ``recovery`` (reading a
    #: damaged table), ``structure`` or ``compare`` (two years of one agency).
    kind: str


_RELATIONS = RELATION_KINDS

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        *(
            Code(
                code,
                Severity.ERROR,
                f"a relation of FORMAT.md §6 is broken: {what} "
                "(the finding gives expected vs actual, the cells and their lines)",
                "check",
            )
            for code, what in _RELATIONS.items()
        ),
        *(
            Code(
                f"{code}-blank",
                Severity.INFO,
                f"{code} holds only if blank cells count as 0",
                "check",
            )
            for code in _RELATIONS
        ),
        *(
            Code(
                f"{code}-unchecked",
                Severity.INFO,
                f"{code} cannot be checked: a placeholder or ambiguous cell is involved",
                "check",
            )
            for code in _RELATIONS
        ),
        Code("S5", Severity.ERROR, "a count that is negative or not a whole number", "check"),
        Code(
            "Y1",
            Severity.WARNING,
            "the template does not fit the report year (e.g. a 2022 report on the 2019 layout)",
            "check",
        ),
        Code(
            "N1",
            Severity.WARNING,
            "the number of applications stated in the text differs from the table",
            "check",
        ),
        Code(
            "N2",
            Severity.WARNING,
            "a count of answers (予以公开, 无法提供, …) stated in the text differs from the table",
            "check",
        ),
        Code(
            "N4",
            Severity.WARNING,
            "a count of normative documents (issued, in force) stated in the text differs "
            "from the table",
            "check",
        ),
        Code(
            "N3",
            Severity.WARNING,
            "a count of reviews or lawsuits stated in the text differs from the table",
            "check",
        ),
        Code(
            "F1",
            Severity.WARNING,
            "section 六 says no fee notice went out, but the table counts applications that "
            "lapsed for an unpaid fee",
            "check",
        ),
        Code(
            "R1",
            Severity.INFO,
            "values placed in columns by the table's arithmetic (the cells are marked inferred)",
            "recovery",
        ),
        Code(
            "R2",
            Severity.WARNING,
            "several placements fit the arithmetic: cells left ambiguous, candidates listed",
            "recovery",
        ),
        Code(
            "R3",
            Severity.WARNING,
            "too many readings to search within the time and size bounds: cells left unresolved",
            "recovery",
        ),
        Code(
            "R4",
            Severity.ERROR,
            "a row that cannot be read into its columns (e.g. values glued into its label)",
            "recovery",
        ),
        Code(
            "R5",
            Severity.WARNING,
            "cells placed only by trusting figures stated in the text",
            "recovery",
        ),
        Code(
            "R6",
            Severity.WARNING,
            "cells of a digit run inferred by reading it with as few blank cells as its "
            "digits allow",
            "recovery",
        ),
        Code(
            "R7",
            Severity.INFO,
            "a row printing fewer values than its columns placed by where its values stand "
            "under the columns of the table's full rows (the cells are marked inferred)",
            "recovery",
        ),
        Code("T1", Severity.WARNING, "a table's section is missing", "structure"),
        Code(
            "T2",
            Severity.ERROR,
            "a table could not be read: its cells are absent, its lines unrecognised",
            "structure",
        ),
        Code(
            "T3",
            Severity.WARNING,
            "a row of the template is not in the table: its cells are absent",
            "structure",
        ),
        Code(
            "T4",
            Severity.INFO,
            "a table was read in another layout than the document's: its section's own",
            "structure",
        ),
        Code(
            "X1",
            Severity.WARNING,
            "compare: this year's carried-over applications ≠ last year's carried forward",
            "compare",
        ),
        Code(
            "X2",
            Severity.WARNING,
            "compare: normative documents in force do not follow from last year's",
            "compare",
        ),
        Code(
            "X3",
            Severity.WARNING,
            "compare: the two reports are not consecutive years of one agency",
            "compare",
        ),
    )
}
