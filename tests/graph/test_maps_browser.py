"""Maps in a real browser: headless Chromium with the network cut, checking what a person would see.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and Playwright's Python package. Outside CI
the tests skip when Chromium is missing; in CI (``CI`` set) a missing Chromium fails them.
Screenshots go to ``tests/graph/artifacts/`` (not committed); with
``CARRIERKG_UPDATE_SCREENSHOTS=1`` the China Telecom map also refreshes the README's
``notebooks/img/china-telecom-map.png``.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import networkx as nx
import pytest

from carrierkg.graph.maps import build_map
from carrierkg.graph.projection import project
from carrierkg.ontology.namespaces import ID

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
README_SHOT = Path(__file__).resolve().parents[2] / "notebooks" / "img" / "china-telecom-map.png"
ORG = ID + "org/"

PAYLOADS = {
    "label": "<img src=x onerror=\"window.__pwned='label'\">",
    "label2": "</script><script>window.__pwned='label2'</script>",
    "alias": "<svg onload=\"window.__pwned='alias'\"></svg>",
    "country": "<iframe srcdoc=\"<script>parent.__pwned='country'</script>\"></iframe>",
    "title": "<b onmouseover=\"window.__pwned='title'\">Deal</b> & \u2028 more",
    "status": "<img src=x onerror=\"window.__pwned='status'\">",
}
BAD_URLS = ["javascript:window.__pwned='url'", " JAVASCRIPT:window.__pwned='url2'",
            "data:text/html,<script>window.__pwned='data'</script>"]
GOOD_URL = "https://example.org/news/deal?id=1&lang=en"


def artifacts() -> Path:
    """The folder for screenshots and timings; it ignores itself in git."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    """A Chromium with a new, empty user data dir; the whole module shares it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {CHROMIUM} is missing: the map browser tests must run in CI "
                        "(.ci/run installs Debian's chromium)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the map browser tests "
                    "are skipped outside CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=ARGS, viewport={"width": 1400, "height": 900})
        try:
            yield context
        finally:
            context.close()


class Opened:
    """A map page opened from disk, with every other request aborted and logged."""

    def __init__(self, context, path: Path):
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        started = time.perf_counter()
        self.page.goto(self.url)
        # a selector, not wait_for_function: the page's policy forbids eval, which that needs
        self.page.wait_for_selector("body[data-settled=true]", state="attached", timeout=30_000)
        self.seconds = time.perf_counter() - started

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def counts(self) -> tuple[int, int]:
        return tuple(self.js("() => [carrierkgMap.nodes.length, carrierkgMap.edges.length]"))

    def visible_counts(self) -> tuple[int, int]:
        return tuple(self.js("() => [carrierkgMap.nodesView.length, carrierkgMap.edgesView.length]"))

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        x, y = self.js("""id => {
            const m = carrierkgMap, p = m.network.canvasToDOM(m.network.getPositions([id])[id]);
            const box = document.getElementById('ckg-network').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""", node_id)
        return x, y

    def assert_clean(self):
        assert self.requests == [], f"the page tried to load {self.requests}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == []
        assert self.js("() => window.__pwned === undefined && parent.__pwned === undefined")

    def close(self):
        self.page.close()


def canvas_is_drawn(opened: Opened) -> bool:
    return opened.js("""() => {
        const c = document.querySelector('#ckg-network canvas');
        if (!c || c.width === 0 || c.height === 0) return false;
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) painted++;
        return painted > 50;
    }""")


def hostile_graph() -> nx.MultiGraph:
    G = nx.MultiGraph()
    G.add_node("urn:x:a", label=PAYLOADS["label"], type="Carrier", country=PAYLOADS["country"],
               aliases=[PAYLOADS["alias"], "Findable Alias"])
    G.add_node("urn:x:b", label=PAYLOADS["label2"], type="Regulator", country=None, aliases=[])
    G.add_node("urn:x:c", label="Plain Vendor", type="Vendor", country="NO", aliases=[])
    sources = [{"iri": f"urn:x:s{i}", "title": f"{PAYLOADS['title']} {i}", "url": url}
               for i, url in enumerate(BAD_URLS)]
    sources.append({"iri": "urn:x:good", "title": PAYLOADS["title"] + " good", "url": GOOD_URL})
    G.add_edge("urn:x:a", "urn:x:b", key="urn:x:r1", relation="licence_grant", rel="urn:x:r1", directed=True,
               source_node="urn:x:b", target_node="urn:x:a", start="2012", end=None, status=PAYLOADS["status"],
               sources=sources)
    G.add_edge("urn:x:a", "urn:x:c", key="urn:x:r2", relation="supplier", rel="urn:x:r2", directed=True,
               source_node="urn:x:c", target_node="urn:x:a", start=None, end=None, status="active", sources=[])
    return G


def synthetic_graph(n: int, *, seed: int = 1) -> nx.MultiGraph:
    rnd = random.Random(seed)
    types = ["Carrier"] * 6 + ["Regulator", "Vendor", "Company", "JointVenture"]
    relations = ["partnership", "infrastructure_sharing", "licence_grant", "subsidiary", "supplier"]
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiGraph()
    for i in base:
        G.add_node(f"{ORG}o{i}", label=f"Org {i}", type=rnd.choice(types), country="XX", aliases=[])
    for j, (a, b) in enumerate(base.edges()):
        r = rnd.choice(relations)
        directed = r not in ("partnership", "infrastructure_sharing")
        u, v = f"{ORG}o{a}", f"{ORG}o{b}"
        G.add_edge(u, v, key=f"r{j}", relation=r, rel=f"{ID}rel/r{j}", directed=directed,
                   source_node=u if directed else None, target_node=v if directed else None,
                   start="2012", end=None, status="active",
                   sources=[{"iri": f"{ID}source/s{j % 9}", "title": f"Source {j % 9}", "url": None}])
    return G


@pytest.fixture
def opened(browser_context, tmp_path):
    pages: list[Opened] = []

    def open_map(result, name: str = "map.html") -> Opened:
        path = result.save(tmp_path / name)
        pages.append(Opened(browser_context, path))
        return pages[-1]

    yield open_map
    for p in pages:
        p.close()


def test_china_telecom_map_loads_offline_and_draws(bundled_kg, opened):
    G = project(bundled_kg)
    focus = ORG + "china-telecom"
    result = build_map(G, focus=focus, depth=2)
    sub = nx.ego_graph(G, focus, radius=2)
    page = opened(result, "china-telecom-map.html")
    assert page.counts() == (sub.number_of_nodes(), sub.number_of_edges()) == (result.organisations,
                                                                                result.relationships)
    assert canvas_is_drawn(page)
    assert page.page.title() == "China Telecom and its relationships"
    page.page.screenshot(path=str(artifacts() / "china-telecom-map.png"))
    if os.environ.get("CARRIERKG_UPDATE_SCREENSHOTS") == "1":
        README_SHOT.parent.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(README_SHOT))
    page.assert_clean()


def test_whole_graph_counts_equal_the_projection(bundled_kg, opened):
    G = project(bundled_kg)
    page = opened(build_map(G, max_nodes=None))
    assert page.counts() == (G.number_of_nodes(), G.number_of_edges())
    assert canvas_is_drawn(page)
    page.assert_clean()


def test_planted_payloads_do_not_run_and_show_as_text(opened):
    page = opened(build_map(hostile_graph(), title=PAYLOADS["label2"]))
    p = page.page
    assert p.title() == PAYLOADS["label2"]
    assert p.locator("h1").inner_text() == PAYLOADS["label2"]
    # click the node with the hostile label: the details panel shows every field as text
    x, y = page.node_point("urn:x:a")
    p.mouse.click(x, y)
    details = p.locator("#ckg-details-body")
    details.get_by_text(PAYLOADS["label"], exact=True).wait_for()
    text = details.inner_text()
    for key in ("label", "alias", "country"):
        assert PAYLOADS[key] in text, key
    assert details.locator("img, svg, iframe, script, b").count() == 0
    # hover text is plain text too
    p.mouse.move(x + 1, y + 1)
    tooltip = p.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert PAYLOADS["label"] in tooltip.inner_text()
    assert tooltip.locator(":not(br)").count() == 0  # innerText makes line breaks <br>, nothing else
    # the licence: source titles as text, only the https source is a link
    p.evaluate("() => carrierkgMap.showEdge('e0')")
    text = details.inner_text()
    assert PAYLOADS["status"] in text and PAYLOADS["title"].replace("\u2028", "") in text.replace("\u2028", "")
    hrefs = details.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == [GOOD_URL], hrefs
    for url in BAD_URLS:
        assert url.strip() in text  # shown, not linked
    page.assert_clean()
    # the page's security policy blocks scripts it did not ship
    ran = page.js("""() => { const s = document.createElement('script');
        s.textContent = 'window.__injected = 1'; document.body.appendChild(s); return window.__injected; }""")
    assert ran is None


def test_click_opens_details_with_source_links(example_kg, opened):
    G = project(example_kg)
    result = build_map(G, focus=ORG + "cobalt-networks", depth=1)
    page = opened(result)
    p = page.page
    # an edge: click the middle of the sharing deal between Aurora and Cobalt
    edge = next(e for e in result.network.edges if e["relation"] == "infrastructure_sharing")
    page.js("id => carrierkgMap.network.setOptions({edges: {smooth: false}})", edge["id"])
    (ax, ay), (bx, by) = page.node_point(edge["from"]), page.node_point(edge["to"])
    p.mouse.click((ax + bx) / 2, (ay + by) / 2)
    details = p.locator("#ckg-details-body")
    details.get_by_text("Sources (2)").wait_for()
    assert "shares infrastructure with" in details.locator(".ckg-title").inner_text()
    titles = details.locator(".ckg-sources li").all_inner_texts()
    assert any("Aurora and Cobalt to share towers (fixture)" in t for t in titles)
    for href in details.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(("http://", "https://"))
    # a node
    x, y = page.node_point(ORG + "cobalt-networks")
    p.mouse.click(x, y)
    details.locator(".ckg-title", has_text="Cobalt Networks").wait_for()
    assert "Carrier" in details.inner_text()
    page.assert_clean()


def test_search_finds_and_focuses_a_node(example_kg, opened):
    page = opened(build_map(project(example_kg)))
    p = page.page
    p.fill("#ckg-search", "borealis")  # an alias, any case
    p.press("#ckg-search", "Enter")
    p.locator("#ckg-details-body .ckg-title", has_text="Borealis Mobile").wait_for()
    assert page.js("() => carrierkgMap.network.getSelectedNodes()") == [ORG + "borealis-mobile"]
    p.fill("#ckg-search", "No Such Carrier")
    p.press("#ckg-search", "Enter")
    assert "No organisation in this map" in p.locator("#ckg-search-status").inner_text()
    page.assert_clean()


def test_filters_hide_relation_and_organisation_types(example_kg, opened):
    G = project(example_kg)
    page = opened(build_map(G))
    p = page.page
    partnerships = sum(1 for _, _, r in G.edges(data="relation") if r == "partnership")
    vendors = sum(1 for _, t in G.nodes(data="type") if t == "Vendor")
    assert page.visible_counts() == (G.number_of_nodes(), G.number_of_edges())
    p.uncheck('input[data-kind="relation"][data-name="partnership"]')
    assert page.visible_counts() == (G.number_of_nodes(), G.number_of_edges() - partnerships)
    p.uncheck('input[data-kind="type"][data-name="Vendor"]')
    assert page.visible_counts()[0] == G.number_of_nodes() - vendors
    p.check('input[data-kind="relation"][data-name="partnership"]')
    assert page.visible_counts()[1] == G.number_of_edges()
    page.assert_clean()


def test_path_is_highlighted_in_the_page(example_kg, opened):
    G = project(example_kg)
    result = build_map(G, path=[ORG + "aurora-baltic", ORG + "cobalt-networks"])
    page = opened(result)
    on_path = page.js("() => carrierkgMap.edges.get({filter: e => e.onPath}).map(e => [e.from, e.to])")
    assert len(on_path) == len(result.path) - 1
    assert {n for pair in on_path for n in pair} == set(result.path)
    page.assert_clean()


def _plain(items) -> list:
    """Items as JSON gives them back (tuples become lists, keys are text), without positions."""
    out = json.loads(json.dumps(items, default=str))
    for item in out:
        item.pop("x", None)
        item.pop("y", None)
    return out


@pytest.mark.parametrize("case", ["hostile", "example-path", "bundled"])
def test_the_page_builds_the_items_of_the_network(case, bundled_kg, example_kg, opened):
    """The page gets compact data and makes the vis-network items itself: the same ones
    ``MapResult.network`` holds (hover texts, colours, arrows, curves of parallel edges,
    sentences, sources, the highlighted path)."""
    if case == "hostile":
        result = build_map(hostile_graph())
    elif case == "example-path":  # a joint venture's co-venturers, a path, parallel edges
        result = build_map(project(example_kg), path=[ORG + "aurora-baltic", ORG + "cobalt-networks"])
    else:
        result = build_map(project(bundled_kg), focus=ORG + "china-telecom", depth=2)
    page = opened(result)
    nodes, edges = page.js("() => [carrierkgMap.nodes.get(), carrierkgMap.edges.get()]")
    assert _plain(nodes) == _plain(result.network.nodes)
    assert _plain(edges) == _plain(result.network.edges)
    assert any(e.get("smooth") for e in result.network.edges) or case != "bundled"
    page.assert_clean()


def test_a_5000_organisation_map_settles_in_seconds(opened, record_property):
    G = synthetic_graph(5000)
    started = time.perf_counter()
    result = build_map(G, max_nodes=None)
    written = time.perf_counter() - started
    page = opened(result, "big.html")
    settle_ms = page.js("() => carrierkgMap.state.settleMs")
    message = (f"5,000 organisations / {G.number_of_edges()} relationships: written in {written:.2f} s, "
               f"opened and settled in {page.seconds:.2f} s (in-page {settle_ms} ms)")
    print(message)
    record_property("settle", message)
    (artifacts() / "settle-5000.json").write_text(json.dumps(
        {"written_s": round(written, 3), "open_and_settle_s": round(page.seconds, 3), "in_page_ms": settle_ms}))
    assert page.counts() == (5000, G.number_of_edges())
    assert canvas_is_drawn(page)
    assert page.seconds < 20
    page.assert_clean()
