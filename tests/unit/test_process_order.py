"""The Top tab's order: columns a user reads first, processes as a tree."""

from __future__ import annotations

from dockertui.backend.processes import PS_ARGS
from dockertui.widgets.processes_pane import column_order, process_cell, tree_order


def test_the_command_comes_before_the_columns_read_last():
    titles = ("PID", "PPID", "USER", "%CPU", "%MEM", "RSS", "ELAPSED", "COMMAND")
    assert [titles[i] for i in column_order(titles)] == ["PID", "%CPU", "RSS", "COMMAND", "%MEM", "ELAPSED", "PPID", "USER"]
    # The engine's default columns (ps -ef), when the host's ps has no -o.
    default = ("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD")
    assert [default[i] for i in column_order(default)][:2] == ["PID", "CMD"]
    # The engine takes what follows the other columns as the command: it must be last.
    assert PS_ARGS.endswith(",args")


def test_children_follow_their_parent_deeper():
    rows = [("10", "1"), ("12", "10"), ("9", "10"), ("13", "12"), ("20", "1"), ("100", "10")]
    assert tree_order(rows) == [("10", 0), ("9", 1), ("12", 1), ("13", 2), ("100", 1), ("20", 0)]


def test_a_parent_loop_still_shows_every_process():
    assert sorted(tree_order([("5", "6"), ("6", "5")])) == [("5", 0), ("6", 0)]


def test_rss_is_a_size_sorted_by_number_and_text_stays_literal():
    rss = process_cell("RSS", "1544")
    assert rss.plain == "1.6 MB" and rss.sort_key == 1544
    assert process_cell("COMMAND", "sh -c [/foo] \x1b[31mred").plain == "sh -c [/foo] red"
