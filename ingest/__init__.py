"""carrierkg.ingest: news articles into the knowledge graph, as a Python API.

Imported on first use, like :mod:`carrierkg.graph`:

* :func:`extract`: the candidate facts an article states, each with its evidence (a
  character span and the sentence) and a confidence; writes nothing;
* :func:`ingest`: extract, keep the candidates ``accept`` approves at or above
  ``min_confidence``, and write them as one new source graph (validated, in one transaction);
* :func:`retract`: drop a source again, and every fact only it states.

>>> from carrierkg.graph import open_store
>>> from carrierkg.ingest import ingest, retract
>>> kg = open_store("memory")
>>> report = ingest(kg, "Northwind Telecom has acquired Southwind Mobile.", title="Northwind buys Southwind")
>>> report.facts, retract(kg, report.source).facts
(1, 1)
"""

from carrierkg.graph._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, {
    "extract": ("extract", "extract"),
    "extract_file": ("extract", "extract_file"),
    "Extraction": ("extract", "Extraction"),
    "Relation": ("extract", "Relation"),
    "Evidence": ("extract", "Evidence"),
    "ingest": ("ingest", "ingest"),
    "prepare": ("ingest", "prepare"),
    "commit": ("ingest", "commit"),
    "retract": ("ingest", "retract"),
    "find_source": ("ingest", "find_source"),
    "known_names": ("facts", "known_names"),
    "read_article": ("ingest", "read_article"),
    "IngestReport": ("ingest", "IngestReport"),
    "RetractReport": ("ingest", "RetractReport"),
})
