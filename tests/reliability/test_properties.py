"""Property-based tests: random text never breaks the question parser, the name resolver, the extractor or ``ask``.

Every outcome is an answer or a :class:`CarrierKGError` whose message is one line; no other
exception. Hypothesis runs derandomized (the same examples on every run, so CI is stable),
without a deadline and without its example database (nothing is written to the working tree).
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carrierkg.graph.errors import CarrierKGError
from carrierkg.graph.names import Org, resolve
from carrierkg.graph.questions import FORMS, Question, answer, parse_question
from carrierkg.ingest.extract import Extraction, extract

STABLE = settings(derandomize=True, deadline=None, database=None, max_examples=200,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Characters that have broken parsers elsewhere: quotes, brackets, escapes, control and line
#: separators, right-to-left marks, combining marks, non-Latin letters, emoji.
NASTY = ("\"'`{}[]()<>\\/|;#?*$@!%^&~=+,.:-_ \t\n\r\x00\x0b\x0c\x1b\x85\u2028\u2029\u200b\u200e\u202e\ufeff\u0301"
         "’“”‘中国电信Мегафонعربي📡🚀ßİı")
WORDS = ["who", "partners", "with", "what", "which", "licences", "does", "hold", "how", "is", "connected", "to",
         "the", "top", "most", "central", "carriers", "in", "owns", "and", "&", "'s", "?", "China Telecom", "BT",
         "AT&T", "SELECT", "WHERE", "DROP", "ALL", "UNION", "FILTER", "GRAPH", "}", "{", '"', "\\", "<script>"]

nasty_text = st.text(alphabet=st.sampled_from(NASTY) | st.characters(codec="utf-8"), max_size=80)
any_text = st.text(max_size=200)
wordy = st.lists(st.sampled_from(WORDS) | nasty_text, max_size=12).map(" ".join)
question_like = st.builds(lambda example, name: example.replace(example.split()[-1], name, 1),
                          st.sampled_from([e for f in FORMS for e in f.examples]), nasty_text | wordy)
texts = st.one_of(any_text, nasty_text, wordy, question_like)


def one_line(exc: CarrierKGError) -> None:
    message = str(exc)
    assert message and len(message.splitlines()) == 1 and "\r" not in message, repr(message)


@STABLE
@given(texts)
def test_parse_question_answers_or_says_why(text):
    try:
        q = parse_question(text)
    except CarrierKGError as exc:
        one_line(exc)
        return
    assert isinstance(q, Question)
    assert all(isinstance(v, str | int | list) for v in q.args.values())


@STABLE
@given(texts | st.sampled_from(["http://a b", "https://x> } DROP ALL { <y", "\udcff", "   ", ""]))
def test_resolve_answers_or_says_why(bundled_kg, text):
    try:
        org = resolve(bundled_kg, text)
    except CarrierKGError as exc:
        one_line(exc)
        return
    assert isinstance(org, Org) and org.iri.startswith("http")


@STABLE
@given(texts)
def test_resolve_places_answers_or_says_why(bundled_kg, text):
    try:
        resolve(bundled_kg, text, types=("Country", "Zone", "Place"))
    except CarrierKGError as exc:
        one_line(exc)


article_like = st.lists(st.sampled_from([
    "Northwind Telecom has acquired Southwind Mobile for $2 billion.", "China Telecom and BT signed a deal.",
    "The regulator Ofcom granted a spectrum licence to EE.", "Huawei was removed from BT's core network.",
    "AT&T and Verizon will share towers in Texas.", "\n\n", "Read more:", "Subscribe now!", "(c) 2024",
]) | nasty_text | wordy, min_size=1, max_size=10).map(" ".join)


@settings(STABLE, max_examples=150)
@given(st.one_of(article_like, any_text, st.binary(max_size=300)))
def test_extract_answers_or_says_why(text):
    try:
        result = extract(text)
    except CarrierKGError as exc:
        one_line(exc)
        return
    assert isinstance(result, Extraction)
    source = text if isinstance(text, str) else text.decode("utf-8-sig")
    for r in result.relations:
        assert source[r.evidence.start:r.evidence.end] == r.evidence.text
        assert 0 <= r.confidence <= 1


@settings(STABLE, max_examples=100)
@given(texts)
def test_answer_answers_or_says_why(bundled_kg, text):
    try:
        a = answer(bundled_kg, text)
    except CarrierKGError as exc:
        one_line(exc)
        return
    assert isinstance(a.rows, list) and a.text and "\n" not in a.form


@settings(STABLE, max_examples=40)
@given(st.one_of(question_like, wordy, st.text(alphabet=string.printable, max_size=60)))
def test_cli_ask_answers_or_prints_one_error_line(built_store, text):
    from typer.testing import CliRunner

    from carrierkg.cli.common import state
    from carrierkg.cli.main import app

    if text.startswith("-"):
        text = " " + text  # an option, not a question: click's usage error (exit 2) is tested elsewhere
    try:
        result = CliRunner().invoke(app, ["--store", str(built_store), "ask", text], catch_exceptions=True)
    finally:
        state.reset()
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        assert result.stdout or result.stderr
        return
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "unexpected" not in errors[0], result.stderr


@pytest.mark.parametrize("text", ["\udcff", "a\udc80b", "who partners with \udcff"])
def test_lone_surrogates_from_undecodable_arguments(bundled_kg, text):
    """Command-line bytes that are not UTF-8 reach Python as lone surrogates."""
    for call in (lambda: parse_question(text), lambda: resolve(bundled_kg, text), lambda: answer(bundled_kg, text),
                 lambda: extract(text)):
        try:
            call()
        except CarrierKGError as exc:
            one_line(exc)
