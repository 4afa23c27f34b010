"""Named exceptions: the library raises these, the CLI turns them into one line and exit 1."""

from __future__ import annotations

__all__ = [
    "AmbiguousNameError",
    "CarrierKGError",
    "ExtractionError",
    "InputError",
    "NoAnswerError",
    "ParseError",
    "QueryError",
    "QueryTimeoutError",
    "RemoteError",
    "StoreError",
    "StoreLockedError",
    "UnknownNameError",
    "UnsupportedFormatError",
    "ValidationError",
]


class CarrierKGError(Exception):
    """Base of every carrierkg error. ``str(error)`` is a one-line message for people."""

    def __str__(self) -> str:
        text = super().__str__()
        # one line: a line break of any kind (\n, \r, \u2028 ...) in a name or path would start another
        return " ".join(text.split()) if len(text.splitlines()) > 1 or "\r" in text else text


class InputError(CarrierKGError):
    """A file or argument the user gave cannot be used (missing, empty, binary, too large)."""


class UnsupportedFormatError(InputError):
    """An RDF or output format carrierkg does not know."""


class ParseError(InputError):
    """A file is not valid in its format. ``location`` is ``file:line`` where known."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.path, self.line = path, line
        where = path or ""
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: {message}" if where else message)


class ValidationError(CarrierKGError):
    """Data does not conform to the SHACL shapes. ``report`` holds every violation."""

    def __init__(self, message: str, report=None):
        self.report = report
        super().__init__(message)


class StoreError(CarrierKGError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store for writing."""


class QueryError(CarrierKGError):
    """A SPARQL query is invalid or failed."""


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit and was stopped."""


class RemoteError(StoreError):
    """A remote SPARQL endpoint is unreachable or answered with an error."""


class UnknownNameError(CarrierKGError):
    """No organisation (or place) has this name. ``suggestions`` holds close names."""

    def __init__(self, name: str, suggestions: list[str] | tuple[str, ...] = (), *, what: str = "organisation"):
        self.name, self.suggestions = name, list(suggestions)
        message = f"no {what} named {name!r}."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class AmbiguousNameError(CarrierKGError):
    """A name matches several organisations equally well."""

    def __init__(self, name: str, candidates: list[str], *, what: str = "organisation"):
        self.name, self.candidates = name, list(candidates)
        super().__init__(
            f"{name!r} could be more than one {what}: " + ", ".join(self.candidates) + ". Be more specific."
        )


class NoAnswerError(CarrierKGError):
    """A question could not be mapped onto a known question form."""


class ExtractionError(CarrierKGError):
    """An article cannot be read for facts."""
