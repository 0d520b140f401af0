"""A burst of engine reports reaches the UI as few messages, merged in order, none lost."""

from __future__ import annotations

import threading

from dockertui.messages import ContainersChanged, Gathered


def test_one_message_is_on_its_way_at_a_time_and_takes_all_that_gathered():
    gathered: Gathered[int] = Gathered()
    assert gathered.put(1) is True  # the caller posts a message
    assert gathered.put(2) is False  # it rides on the message on its way
    assert gathered.put(3) is False
    assert gathered.take() == [1, 2, 3]
    assert gathered.take() == []
    assert gathered.put(4) is True  # taken: the next report needs a message of its own


def test_changes_merge_to_each_containers_latest_state():
    gathered: Gathered[dict] = Gathered()
    gathered.put({"a": "created", "b": "running"})
    gathered.put({"a": None})  # a went
    gathered.put({"c": "running", "b": "exited"})
    message = ContainersChanged(gathered)
    assert message.changes == {"a": None, "b": "exited", "c": "running"}
    assert message.changes is message.changes  # taken once


def test_nothing_is_lost_between_threads():
    gathered: Gathered[int] = Gathered()
    posted, taken = [], []

    def worker(start: int) -> None:
        for n in range(start, start + 5000):
            if gathered.put(n):
                posted.append(n)

    threads = [threading.Thread(target=worker, args=(k * 5000,)) for k in range(4)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        taken.extend(gathered.take())
    taken.extend(gathered.take())
    assert sorted(taken) == list(range(20000))
