"""bench.results_md.put_section: a section between its markers in a results file."""

from __future__ import annotations

from bench.results_md import put_section

START, END = "<!-- x: start -->", "<!-- x: end -->"


def test_replaces_between_the_markers_and_keeps_the_text_around_them(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(f"# Results\n\nbefore\n\n{START}\nold\n{END}\n\nafter\n")
    put_section(f"{START}\nnew\n{END}", START, END, path)
    assert path.read_text() == f"# Results\n\nbefore\n\n{START}\nnew\n{END}\n\nafter\n"


def test_appends_the_section_when_the_markers_are_missing(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Results\n\nbefore\n\n\n")
    put_section(f"{START}\nnew\n{END}", START, END, path)
    assert path.read_text() == f"# Results\n\nbefore\n\n{START}\nnew\n{END}\n"


def test_a_missing_file_is_written(tmp_path):
    path = tmp_path / "RESULTS.md"
    put_section(f"{START}\nnew\n{END}", START, END, path)
    assert f"{START}\nnew\n{END}\n" in path.read_text()


def test_twice_is_the_same_as_once(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text("# Results\n")
    put_section(f"{START}\nnew\n{END}", START, END, path)
    once = path.read_text()
    put_section(f"{START}\nnew\n{END}", START, END, path)
    assert path.read_text() == once
