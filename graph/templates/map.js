/* carrierkg map page. Data comes from the JSON block and reaches the page only through
   textContent, DOM properties and vis-network (which shows string titles as text).
   Never innerHTML: names and titles come from articles on the web. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("ckg-data").textContent);
  var state = { settled: false, settleMs: null, hiddenTypes: new Set(), hiddenRelations: new Set() };
  var byId = function (id) { return document.getElementById(id); };

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  /* A link only for http(s) URLs; anything else (javascript:, data:, ...) stays text. */
  function safeHref(url) {
    if (typeof url !== "string") { return null; }
    var parsed;
    try { parsed = new URL(url.trim()); } catch (e) { return null; }
    return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
  }

  /* -- vis-network items from the compact data (graph/maps.py's _vis_items makes the same) -- */
  var typeStyle = {};
  data.legend.types.forEach(function (t) { typeStyle[t.name] = t; });
  var relationStyle = {};
  data.legend.relations.forEach(function (r) { relationStyle[r.name] = r; });
  var hasPath = !!(data.path && data.path.length);
  var pathColour = data.legend.pathColour;

  function count(n, word) { return n.toLocaleString("en-US") + " " + word + (n === 1 ? "" : "s"); }
  function period(start, end) {
    if (start && end) { return start + " to " + end; }
    if (start) { return "since " + start; }
    if (end) { return "until " + end; }
    return "";
  }
  function orNull(value) { return value === undefined ? null : value; }

  function nodeItem(n) {
    var info = n.info || {}, style = typeStyle[n.orgType], colour = style.colour;
    var aliases = (info.aliases || []).slice(), country = orNull(info.country);
    var hover = [n.label, n.orgType + (country ? " \u00b7 " + country : "")];
    if (aliases.length) {
      hover.push("Also known as: " + aliases.slice(0, 6).join(", ") + (aliases.length > 6 ? " ..." : ""));
    }
    hover.push(count(info.relationships || 0, "relationship") + " in this map \u00b7 click for details");
    var item = {
      id: n.id, label: n.label, title: hover.join("\n"), shape: style.shape, size: n.size,
      color: { background: colour, border: n.onPath ? "#333333" : colour,
        highlight: { background: colour, border: "#000000" }, hover: { background: colour, border: "#000000" } },
      orgType: n.orgType,
      info: { iri: String(n.id), label: n.label, type: n.orgType, country: country, aliases: aliases,
        relationships: info.relationships || 0, measure: data.legend.sizeBy, score: info.score }
    };
    if (n.onPath) { item.borderWidth = 4; item.onPath = true; } else if (hasPath) { item.opacity = 0.35; }
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }

  var parallel = new Map();
  function edgeItem(e, i) {
    var a = data.nodes[e.from], b = data.nodes[e.to], info = e.info || {}, style = relationStyle[e.relation];
    var colour = style.colour, directed = !!info.directed, status = orNull(info.status);
    var sources = (info.sources || []).map(function (s) {
      return { iri: orNull(s.iri), title: orNull(s.title), url: orNull(s.url), href: orNull(s.href) };
    });
    var sentence = a.label + " " + style.phrase + " " + b.label;
    if (info.venture !== undefined) { sentence += " (" + info.venture + ")"; }
    var hover = [sentence, e.relation.replace(/_/g, " ") + [status, period(info.start, info.end)]
      .filter(function (x) { return x; }).map(function (x) { return " \u00b7 " + x; }).join("")];
    if (sources.length) {
      var titles = sources.map(function (s) { return s.title || s.url || s.iri || "?"; });
      hover.push("Sources (" + titles.length + "): " + titles.slice(0, 3).join("; ") + (titles.length > 3 ? " ..." : ""));
    } else {
      hover.push("Sources: none recorded");
    }
    hover.push("click for details");
    var pair = e.from < e.to ? e.from + " " + e.to : e.to + " " + e.from;
    var nth = parallel.get(pair) || 0;
    parallel.set(pair, nth + 1);
    var item = {
      id: "e" + i, from: a.id, to: b.id, title: hover.join("\n"), relation: e.relation,
      color: { color: colour, highlight: colour, hover: colour },
      dashes: style.dashes && style.dashes.length ? style.dashes : false, arrows: directed ? "to" : "",
      info: { sentence: sentence, relation: e.relation, rel: orNull(info.rel), from: String(a.id), to: String(b.id),
        fromLabel: a.label, toLabel: b.label, directed: directed, start: orNull(info.start), end: orNull(info.end),
        status: status, sources: sources }
    };
    if (nth) {
      item.smooth = { enabled: true, type: nth % 2 ? "curvedCW" : "curvedCCW", roundness: 0.15 * Math.floor((nth + 1) / 2) };
    }
    if (e.onPath) {
      item.width = 5;
      item.color = { color: pathColour, highlight: pathColour, hover: pathColour };
      item.onPath = true;
    } else if (hasPath) {
      item.color.opacity = 0.25;
    }
    return item;
  }

  var nodes = new vis.DataSet(data.nodes.map(nodeItem));
  var edges = new vis.DataSet(data.edges.map(edgeItem));
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return !state.hiddenTypes.has(n.orgType); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) { return !state.hiddenRelations.has(e.relation); } });
  var container = byId("ckg-network");
  var started = performance.now();
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);

  function settle(how) {
    if (state.settled) { return; }
    network.setOptions({ physics: { enabled: false } });
    state.settled = true;
    state.settleMs = Math.round(performance.now() - started);
    state.settledBy = how;
    document.body.setAttribute("data-settled", "true");
    byId("ckg-status").textContent = "";
    if (data.path && data.path.length) { network.fit({ nodes: data.path, animation: false }); }
    else if (how === "static") { network.fit({ animation: false }); }
  }
  network.once("stabilizationIterationsDone", function () { settle("stabilized"); });
  network.on("stabilizationProgress", function (p) {
    byId("ckg-status").textContent = "Laying out the map… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  if (!data.options.physics || data.options.physics.enabled === false || nodes.length === 0) {
    network.once("afterDrawing", function () { settle("static"); });
  }

  /* -- details panel ------------------------------------------------------------------ */
  var details = byId("ckg-details-body");

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function addRow(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = Array.isArray(value) ? value.join(", ") : String(value); }
    dl.appendChild(dd);
  }

  function sourceList(sources) {
    var list = el("ul");
    list.className = "ckg-sources";
    sources.forEach(function (s) {
      var item = el("li");
      var name = s.title || s.url || s.iri || "(untitled source)";
      var href = s.href ? safeHref(s.href) : null;
      if (href) {
        var a = el("a", name);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        item.appendChild(a);
      } else {
        item.appendChild(el("span", name));
        if (s.url && s.url !== name) { item.appendChild(el("span", " (" + s.url + ")", "ckg-hint")); }
      }
      if (s.iri) { item.appendChild(el("br")); item.appendChild(el("code", s.iri)); }
      list.appendChild(item);
    });
    return list;
  }

  function showNode(id) {
    var n = nodes.get(id);
    if (!n) { return; }
    var info = n.info || {};
    clear(details);
    details.appendChild(el("p", info.label, "ckg-title"));
    var dl = el("dl");
    addRow(dl, "Type", info.type);
    addRow(dl, "Country", info.country);
    addRow(dl, "Also known as", info.aliases);
    addRow(dl, "Relationships", info.relationships);
    addRow(dl, "Size by", info.measure + " " + info.score);
    addRow(dl, "IRI", info.iri);
    details.appendChild(dl);
    var connected = network.getConnectedEdges(id);
    if (connected.length) {
      details.appendChild(el("h3", "Relationships in this map"));
      var list = el("ul");
      connected.slice(0, 200).forEach(function (eid) {
        var e = edges.get(eid);
        if (!e) { return; }
        var item = el("li");
        var button = el("a", e.info.sentence);
        button.href = "#";
        button.addEventListener("click", function (ev) { ev.preventDefault(); network.selectEdges([eid]); showEdge(eid); });
        item.appendChild(button);
        list.appendChild(item);
      });
      details.appendChild(list);
    }
  }

  function showEdge(id) {
    var e = edges.get(id);
    if (!e) { return; }
    var info = e.info || {};
    clear(details);
    details.appendChild(el("p", info.sentence, "ckg-title"));
    var dl = el("dl");
    addRow(dl, "Relation", (info.relation || "").replace(/_/g, " ") + (info.directed ? " (directed)" : ""));
    addRow(dl, "Status", info.status);
    addRow(dl, "Start", info.start);
    addRow(dl, "End", info.end);
    addRow(dl, "Relationship", info.rel);
    details.appendChild(dl);
    var sources = info.sources || [];
    details.appendChild(el("h3", sources.length ? "Sources (" + sources.length + ")" : "No sources recorded"));
    if (sources.length) { details.appendChild(sourceList(sources)); }
  }

  network.on("click", function (params) {
    if (params.nodes && params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges && params.edges.length) { showEdge(params.edges[0]); }
  });

  /* -- search ------------------------------------------------------------------------- */
  var names = byId("ckg-names");
  var index = [];
  nodes.forEach(function (n) {
    var info = n.info || {};
    var all = [n.label].concat(info.aliases || []);
    all.forEach(function (name) { if (name) { index.push({ key: String(name).toLocaleLowerCase(), id: n.id }); } });
  });
  if (nodes.length <= 5000) {
    nodes.forEach(function (n) { var o = document.createElement("option"); o.value = n.label; names.appendChild(o); });
  }

  function find(text) {
    var q = text.trim().toLocaleLowerCase();
    if (!q) { return null; }
    var exact = index.find(function (x) { return x.key === q; });
    if (exact) { return exact.id; }
    var prefix = index.find(function (x) { return x.key.indexOf(q) === 0; });
    if (prefix) { return prefix.id; }
    var part = index.find(function (x) { return x.key.indexOf(q) >= 0; });
    return part ? part.id : null;
  }

  function focusNode(id) {
    var n = nodes.get(id);
    if (state.hiddenTypes.has(n.orgType)) {
      state.hiddenTypes.delete(n.orgType);
      var box = document.querySelector('input[data-kind="type"][data-name="' + CSS.escape(n.orgType) + '"]');
      if (box) { box.checked = true; }
      nodesView.refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.4, animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }

  byId("ckg-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var status = byId("ckg-search-status");
    var id = find(byId("ckg-search").value);
    if (id === null) {
      status.textContent = "No organisation in this map is called \u201c" + byId("ckg-search").value + "\u201d.";
      return;
    }
    status.textContent = "";
    focusNode(id);
  });

  /* -- legend and filters ------------------------------------------------------------- */
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }
  function typeSwatch(colour, shape) {
    var s = svg("svg", { "class": "ckg-swatch", viewBox: "0 0 34 14", "aria-hidden": "true" });
    var c = { fill: colour, stroke: "#333", "stroke-width": 0.6 };
    var shapes = {
      dot: function () { return svg("circle", Object.assign({ cx: 17, cy: 7, r: 6 }, c)); },
      square: function () { return svg("rect", Object.assign({ x: 11, y: 1, width: 12, height: 12 }, c)); },
      diamond: function () { return svg("polygon", Object.assign({ points: "17,0 24,7 17,14 10,7" }, c)); },
      triangle: function () { return svg("polygon", Object.assign({ points: "17,0 24,13 10,13" }, c)); },
      triangleDown: function () { return svg("polygon", Object.assign({ points: "10,1 24,1 17,14" }, c)); },
      hexagon: function () { return svg("polygon", Object.assign({ points: "13,1 21,1 25,7 21,13 13,13 9,7" }, c)); },
      star: function () { return svg("polygon", Object.assign({ points: "17,0 19,5 24,5 20,8 22,14 17,10 12,14 14,8 10,5 15,5" }, c)); }
    };
    s.appendChild((shapes[shape] || shapes.dot)());
    return s;
  }
  function relationSwatch(colour, dashes, directed) {
    var s = svg("svg", { "class": "ckg-swatch", viewBox: "0 0 34 14", "aria-hidden": "true" });
    var line = svg("line", { x1: 1, y1: 7, x2: directed ? 27 : 33, y2: 7, stroke: colour, "stroke-width": 2.5 });
    if (dashes && dashes.length) { line.setAttribute("stroke-dasharray", dashes.join(" ")); }
    s.appendChild(line);
    if (directed) { s.appendChild(svg("polygon", { points: "26,2 33,7 26,12", fill: colour })); }
    return s;
  }
  function legendItem(list, kind, name, text, count, swatch, hidden, view) {
    var item = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-kind", kind);
    box.setAttribute("data-name", name);
    box.addEventListener("change", function () {
      if (box.checked) { hidden.delete(name); } else { hidden.add(name); }
      view.refresh();
    });
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", text));
    label.appendChild(el("span", count, "ckg-count"));
    item.appendChild(label);
    list.appendChild(item);
  }
  var TYPE_NAMES = { JointVenture: "Joint venture", Organization: "Other organisation", Zone: "Zone (place)",
    Country: "Country (place)" };
  data.legend.types.forEach(function (t) {
    legendItem(byId("ckg-legend-types"), "type", t.name, TYPE_NAMES[t.name] || t.name, t.count,
      typeSwatch(t.colour, t.shape), state.hiddenTypes, nodesView);
  });
  data.legend.relations.forEach(function (r) {
    legendItem(byId("ckg-legend-relations"), "relation", r.name, r.label,
      r.count, relationSwatch(r.colour, r.dashes, r.directed), state.hiddenRelations, edgesView);
  });
  byId("ckg-legend-size").textContent = "Node size: " + data.legend.sizeBy + " centrality." +
    (data.path && data.path.length ? " The highlighted line is the shortest connection." : "");

  window.carrierkgMap = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
    state: state, find: find, focusNode: focusNode, showNode: showNode, showEdge: showEdge
  };
})();
