"""Benchmark: extracting the facts of a ~5 kB article once the pipeline is loaded."""

from __future__ import annotations

import time

__all__ = ["ARTICLE", "run"]

_PARAGRAPHS = [
    "Northwind Telecom and Eastgate Mobile have formed a joint venture called Examplia Towers to own "
    "and operate about 9,000 mobile masts across Kenya, the companies said on Tuesday.",
    "The Lakeside Communications Authority (LCA) awarded 3.5 GHz spectrum licences to Northwind Telecom "
    "and Eastgate Mobile, while Bluewater Wireless lost out in the auction.",
    "Southwind Mobile has completed its acquisition of Redrock Communications for about EUR 1.2 billion.",
    "Harbor Telecom is removing Zenotek equipment from its core network, and Greenleaf Connect signed an "
    "MVNO agreement with Southwind Mobile.",
    "A consortium of Northwind Telecom, Harbor Telecom and Pacifica Communications will build the Coral "
    "Link cable between Kenya and Tanzania. Analysts said the deal could change the market.",
    "Sponsored by Acme Cloud",
    "Webinar: Learn how Acme Cloud can transform your network. Register now.",
]


def _article(size: int = 5000) -> str:
    parts = ["Examplia operators form tower venture"]
    i = 0
    while sum(len(p) + 2 for p in parts) < size:
        parts.append(_PARAGRAPHS[i % len(_PARAGRAPHS)])
        i += 1
    return "\n\n".join(parts)


#: The benchmark article (about 5 kB of text we wrote).
ARTICLE = _article()


def run(*, repeat: int = 5) -> float:
    """Seconds to extract :data:`ARTICLE` (best of ``repeat`` runs, after a warm-up run)."""
    from carrierkg.ingest.extract import extract, warm_up

    warm_up()
    extract(ARTICLE)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract(ARTICLE)
        best = min(best, time.perf_counter() - t0)
    return best


if __name__ == "__main__":
    print(f"extract 5 kB article: {run():.3f} s")
