"""Run dockertui with timestamps on the event path, for ``foundation --trace``.

    DTUI_TRACE=/tmp/trace.log python benchmarks/_trace.py --all

Wraps, from outside the app, the steps between an engine event and the
paint that shows it, and appends one line per step to ``$DTUI_TRACE``::

    <time.time_ns()> <step> <container ids, comma-separated>

Steps: ``event`` (the follower has decoded it; ids: the actor), ``reread``
and ``reread-done`` (around one list request), ``posted``
(ContainersChanged handed to the app), ``handled`` (the app's handler is
done: the table holds the row), ``tick`` (the screen's update timer
fires), ``layout`` (a layout refresh is done), ``rendered`` (the
compositor's update is ready), ``paint`` (a frame written to the
terminal and flushed), and ``gc2``/``gc2-done`` around each full (oldest
generation) garbage collection. The wrappers cost a few microseconds each;
the headline figures are measured without them.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import threading
import time

from textual._compositor import Compositor
from textual.screen import Screen

from dockertui.app import DockerTUI
from dockertui.backend import client
from dockertui.backend.client import DockerBackend
from dockertui.cli import main
from dockertui.messages import MessageListener

_out = open(os.environ["DTUI_TRACE"], "a", buffering=1)  # line-buffered: one write per step
_lock = threading.Lock()


def _note(step: str, ids: str = "") -> None:
    line = f"{time.time_ns()} {step} {ids}\n"
    with _lock:
        _out.write(line)


def _wrap(cls: type, name: str, before: str | None, after: str | None, ids) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        if before:
            _note(before, ids(*args, **kwargs))
        result = original(*args, **kwargs)
        if after:
            _note(after, ids(*args, **kwargs))
        return result

    setattr(cls, name, wrapper)


_decode = client.event_from_raw


def _decoded(raw):
    event = _decode(raw)
    _note("event", event.actor_id if event.type == "container" else "")
    return event


client.event_from_raw = _decoded  # looked up when the event stream is opened


def _collected(phase: str, info: dict) -> None:
    if info["generation"] == 2:
        _note("gc2" if phase == "start" else "gc2-done")


gc.callbacks.append(_collected)
_wrap(DockerBackend, "get_containers", "reread", "reread-done", lambda self, ids: ",".join(ids))
_wrap(MessageListener, "containers_changed", "posted", None, lambda self, changes: ",".join(changes))
_wrap(DockerTUI, "on_containers_changed", None, "handled", lambda self, message: ",".join(message.changes))
# The next frame: the update timer fires, layout (when needed), the compositor's render.
_wrap(Screen, "_on_timer_update", "tick", None, lambda self: "")
_wrap(Screen, "_refresh_layout", None, "layout", lambda self, *args, **kwargs: "")
_wrap(Compositor, "render_update", None, "rendered", lambda self, *args, **kwargs: "")
# _display writes nothing for None or inside a batch update.
_wrap(DockerTUI, "_display", None, "paint",
      lambda self, screen, renderable: "" if renderable is not None and not self._batch_count else "nothing")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
