"""carrierkg.graph: the knowledge graph of carrier relationships, as a Python API.

Everything an analyst needs from a notebook or a script, imported on first use (so
``import carrierkg.graph`` does not import networkx, rdflib or pyvis):

>>> from carrierkg.graph import open_store, answer
>>> kg = open_store("memory")
>>> a = answer(kg, "who partners with China Telecom")
>>> sorted({r["partner"] for r in a.rows})
['AT&T']

* the store: :func:`open_store` (``"memory"``, a directory or a SPARQL endpoint URL), then
  ``kg.select`` / ``kg.ask`` / ``kg.construct``, ``kg.sources()``, ``kg.stats()``,
  ``kg.to_rdflib()``;
* questions in plain English: :func:`answer` (also :func:`ask`), and the answer functions
  behind them (:func:`partners_of`, :func:`licences_of`, :func:`regulators_of`, ...), each
  row with its sources;
* the network: :func:`project` (as of a date, some relation types), :func:`shortest_path`,
  :func:`connection`, :func:`centrality`, :func:`most_central`, :func:`communities`;
* maps: :func:`build_map` (a :class:`MapResult` shows itself inline in Jupyter);
* tables: :func:`to_dataframe` (pandas) for query rows and answers;
* checks: :func:`validate` against the SHACL shapes.
"""

from carrierkg.graph._lazy import attach

_ANSWERS = (
    "Rows", "connection", "holdings_of", "joint_ventures_of", "licences_of", "licensed_by", "most_central",
    "operating_in", "organisation_info", "owners_of", "partners_of", "profile", "regulators_of",
    "removed_vendors_of", "sharing_partners_of", "subsidiaries_of", "suppliers_of",
)
_ERRORS = (
    "AmbiguousNameError", "CarrierKGError", "InputError", "NoAnswerError", "QueryError", "StoreError",
    "UnknownNameError", "ValidationError",
)

__getattr__, __dir__, __all__ = attach(__name__, {
    # the store
    "open_store": ("store", "open_store"),
    "KnowledgeGraph": ("store", "KnowledgeGraph"),
    "iri": ("store", "iri"),
    "literal": ("store", "literal"),
    "python_value": ("store", "python_value"),
    # questions and answers
    "answer": ("questions", "answer"),
    "ask": ("questions", "answer"),
    "parse_question": ("questions", "parse_question"),
    "Answer": ("questions", "Answer"),
    "FORMS": ("questions", "FORMS"),
    **{name: ("answers", name) for name in _ANSWERS},
    "resolve": ("names", "resolve"),
    "Org": ("names", "Org"),
    # the network
    "project": ("projection", "project"),
    "filter_graph": ("projection", "filter_graph"),
    "directed": ("projection", "directed"),
    "edge_sources": ("projection", "edge_sources"),
    "shortest_path": ("paths", "shortest_path"),
    "all_simple_paths": ("paths", "all_simple_paths"),
    "explain_hop": ("paths", "explain_hop"),
    "path_rows": ("paths", "path_rows"),
    "centrality": ("centrality", "centrality"),
    "MEASURES": ("centrality", "MEASURES"),
    "communities": ("communities", "communities"),
    # maps, tables, checks
    "build_map": ("maps", "build_map"),
    "MapResult": ("maps", "MapResult"),
    "notebook_html": ("maps", "notebook_html"),
    "render_html": ("maps", "render_html"),
    "to_dataframe": ("frames", "to_dataframe"),
    "validate": ("validate", "validate"),
    "ValidationReport": ("validate", "ValidationReport"),
    **{name: ("errors", name) for name in _ERRORS},
})
