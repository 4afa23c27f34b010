"""emit_rows: long tables are drawn without rich's per-cell measuring, in the same look."""

from __future__ import annotations

from carrierkg.cli.common import PLAIN_TABLE_ROWS, emit_rows


def test_a_long_table_holds_every_row_with_its_title_and_headers(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    rows = [{"name": f"Carrier-{i}", "partner_type": "[b]Carrier", "note": "x " * 40}
            for i in range(PLAIN_TABLE_ROWS + 50)]
    emit_rows(rows, ["name", "partner_type", "note"], title="Partners of [red]X", headers={"note": "remark"})
    out = capsys.readouterr().out.splitlines()
    assert out[0].strip() == "Partners of [red]X"           # text, not markup
    assert out[1].startswith("┏") and out[-1].startswith("└")
    assert "name" in out[2] and "partner type" in out[2] and "remark" in out[2]
    assert all(len(line) <= 80 for line in out)             # long cells fold to the width
    body = "\n".join(out)
    assert all(f" Carrier-{i} " in body for i in range(len(rows)))
    assert body.count("[b]Carrier") == len(rows)


def test_a_short_table_is_drawn_by_rich(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    emit_rows([{"name": "[bold]AT&T"}], ["name"], title="T")
    out = capsys.readouterr().out
    assert "[bold]AT&T" in out and "┃ name" in out


def test_long_cells_fold_as_textwrap_folds_them():
    import textwrap

    from carrierkg.cli.common import _fold

    texts = ["Aurora Telecom and Borealis Mobile", "towers, spectrum, fibre, ducts", "a  b   c", " leading",
             "trailing ", "tab\there", "line\nbreak", "no\xa0break space", "averyveryverylongwordindeed x",
             "x averyveryverylongwordindeed", "中国电信 与 中国联通 合作", "", "one"]
    for text in texts:
        for width in (1, 3, 5, 8, 12, 40):
            assert _fold(text, width) == (textwrap.wrap(text, width, break_on_hyphens=False) or [""]
                                          if len(text) > width else [text]), (text, width)
