"""Store layout upgrades: bring a store written by an older carrierkg to this layout."""

from __future__ import annotations

from collections.abc import Callable

from carrierkg.graph.errors import StoreError

__all__ = ["MIGRATIONS", "upgrade"]

#: Layout version -> function that rewrites a store of that version into the next one.
#: Layout 1 is the first; the table grows with every change of what carrierkg writes.
MIGRATIONS: dict[str, Callable] = {}


def upgrade(kg, version: str) -> None:
    """Upgrade ``kg`` from layout ``version`` to the current one, step by step.

    Raises :class:`StoreError` for a store written by a newer carrierkg, or one no
    migration path leads from; the store is left untouched then.
    """
    from carrierkg.graph.store import SCHEMA_VERSION

    try:
        newer = int(version) > int(SCHEMA_VERSION)
    except ValueError:
        newer = False
    if newer:
        raise StoreError(
            f"the store at {kg.location} was written by a newer carrierkg (layout {version}, this one "
            f"reads {SCHEMA_VERSION}); upgrade carrierkg or use another --store")
    current = version
    while current != SCHEMA_VERSION:
        step = MIGRATIONS.get(current)
        if step is None:
            raise StoreError(
                f"the store at {kg.location} has layout {current}, which this carrierkg cannot upgrade; "
                "export it with the carrierkg that wrote it and load the export into a new store")
        current = step(kg)
