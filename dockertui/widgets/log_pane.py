"""The Logs tab: follow one container's output, search, filter, save.

One stream at a time. Selecting another container closes the old stream
(closing its socket is what frees the reading thread) and every batch
carries the token of the stream it came from, so nothing from an old
stream is shown after a switch.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, Static

from dockertui.backend import ContainerInfo, EngineError
from dockertui.backend.logs import LogLine, stamp_key, stamp_seconds
from dockertui.backend.merged_logs import (
    ContainerGroup,
    LogSource,
    MergedLogStream,
    merged_container_logs,
)
from dockertui.backend.streams import ClosableStream, EngineStreamBroken
from dockertui.fleet import backend_on
from dockertui.widgets.log_prompts import LogPrompts
from dockertui.widgets.log_status import StreamState, status_line
from dockertui.widgets.log_view import LogView
from dockertui.widgets.theme_roles import ThemeRoles
from dockertui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dockertui.backend.client import DockerBackend

# Batches arriving within this window are written to the view together.
FLUSH_SECONDS = 0.05
# When a window brought more lines than the view shows, every row is new on
# each frame and nobody reads them as they pass: five frames a second, each a
# redraw of the whole view, are plenty.
FLOOD_FLUSH_SECONDS = 0.2
# Under a flood the reader takes at most this many lines per window, then
# waits: parsing faster than anyone can read starves the UI thread of the
# GIL, and keys lag. The engine holds the rest; nothing is dropped.
MAX_LINES_PER_WINDOW = 1_500

# The engine holds a backlog while the reader had to wait at its cap this
# recently (under load a reader slowed by the UI can dip below the cap a while).
BACKLOG_SECONDS = 2.0

# What the pane follows: one container, or several as one (merged_logs.py).
Followed = ContainerInfo | ContainerGroup

# Why a stream did not start; once connected, the same container is followed again.
NOT_CONNECTED = "not connected to an engine"


class LogPane(LogPrompts, ThemeRoles, ReportsWorkerErrors, Vertical):
    """Status line, the log view, and a prompt for search/filter/since/save."""

    BINDINGS = [
        Binding("slash", "prompt('search')", "Search", id="logs-search"),
        Binding("n", "find(True)", "Next match", id="logs-next"),
        Binding("N", "find(False)", "Prev match", id="logs-prev"),
        Binding("f", "prompt('filter')", "Filter", id="logs-filter"),
        Binding("t", "toggle_timestamps", "Timestamps", id="logs-timestamps"),
        Binding("w", "toggle_wrap", "Wrap", id="logs-wrap"),
        Binding("S", "prompt('since')", "Since", id="logs-since"),
        Binding("s", "prompt('save')", "Save", id="logs-save"),
        Binding("end", "resume", "Follow", id="logs-follow"),
        Binding("escape", "clear_prompt", "Clear", show=False, id="logs-clear"),
        # Tab in the prompt stays there: what is typed next must not reach the list as keys.
        Binding("tab,shift+tab", "keep_prompt", show=False, id="logs-prompt-tab"),
    ]

    class LinesReady(Message, bubble=False):
        """Lines of the stream with this token are waiting in the pane's buffer."""

        def __init__(self, token: int) -> None:
            super().__init__()
            self.token = token

    class StreamOpened(Message, bubble=False):
        """The engine answered for the stream with this token: it follows, lines or not."""

        def __init__(self, token: int) -> None:
            super().__init__()
            self.token = token

    class StreamEnded(Message, bubble=False):
        """The stream with this token ended; ``error`` says why, if it failed."""

        def __init__(self, token: int, error: str | None) -> None:
            super().__init__()
            self.token = token
            self.error = error

    stream_state: reactive[StreamState] = reactive(StreamState.IDLE, init=False)

    def __init__(self, tail: int = 500, max_lines: int = 10_000, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tail = tail
        self.max_lines = max_lines
        self.container: Followed | None = None
        self.since: float | None = None
        self._token = 0
        self._lock = threading.Lock()
        self._stream: ClosableStream[list[LogLine]] | MergedLogStream | None = None
        # The reader thread fills this; the UI drains it at most every
        # FLUSH_SECONDS. One message per drain, not per line: under a flood a
        # message per line swamps the UI's queue and keys stop getting through.
        self._incoming: deque[LogLine] = deque(maxlen=max_lines)
        self._incoming_total = 0
        self._drain_requested = False
        self._drain_timer: Timer | None = None
        self._opened_state = ""  # the container's state when its stream was opened
        self._prompt_mode = ""
        self._applied: dict[str, str] = {}
        self._stream_error = ""  # why the stream failed, while FAILED
        # The newest line's timestamp: after a reconnect the stream resumes after it,
        # and until a newer line comes, lines up to ``_resumed_after`` were shown already.
        self._last_stamp = ""
        self._resumed_after = ""
        # When the reader last had to wait at its cap (monotonic; 0: caught up).
        self._capped_at = 0.0

    def compose(self) -> ComposeResult:
        yield Static(id="logs-status")
        yield LogView(max_lines=self.max_lines, id="log-view")
        yield Input(id="logs-prompt", classes="hidden")
        yield Static(id="logs-error", classes="hidden")

    @property
    def view(self) -> LogView:
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self._render_status()

    def watch_stream_state(self) -> None:
        if self.is_mounted:
            self._render_status()

    def on_unmount(self) -> None:
        self.stop()

    # ------------------------------------------------------------ streaming

    def follow(self, container: Followed | None, restart: bool = False) -> None:
        """Show this container's (or group's) logs (None: nothing); a no-op if already shown."""
        if container is None and self.container is None and self.stream_state is StreamState.IDLE and not restart:
            return  # already nothing: asked again at every mark or selection while the tab is hidden
        same = container is not None and self.container is not None and container.id == self.container.id
        if same and not restart and isinstance(container, ContainerGroup):
            # A member the list sees start: its reader looks whether it runs again (merged_logs.py).
            before = {member.id: member.state for member in self.container.members}
            self.container = container
            if any(m.state == "running" and before.get(m.id) != "running" for m in container.members):
                with self._lock:
                    stream = self._stream
                if isinstance(stream, MergedLogStream):
                    stream.nudge()
            return
        revived = same and self.stream_state is StreamState.ENDED and self._missed_output(container)
        # Not connected: the lists can show before the follower connects (first_lists.py).
        waiting = self.stream_state is StreamState.IDLE or (
            self.stream_state is StreamState.FAILED and self._stream_error == NOT_CONNECTED)
        if same and not restart and not waiting:
            self.container = container
            if revived:
                self._reopen()  # it runs again: on after the lines shown, none lost or twice
            return
        self.stop()
        self.container = container
        self.view.clear()
        self._last_stamp = self._resumed_after = ""
        if container is None:
            self.stream_state = StreamState.IDLE
        else:
            self._open(container, self.since)
        self._render_status()

    def _open(self, container: Followed, since: float | None, tail: int | None = None) -> None:
        """Start reading ``container``'s stream: from ``since``, else its last ``tail`` lines."""
        self._token += 1
        self.stream_state = StreamState.CONNECTING
        self._opened_state = self.state_of(container)
        self._stream_logs(self._token, container, None if since else self.tail if tail is None else tail, since)

    def stop(self) -> None:
        """Close the open stream, if any; its thread then ends by itself."""
        self._capped_at = 0.0
        with self._lock:
            self._token += 1
            stream, self._stream = self._stream, None
            self._incoming.clear()
            self._incoming_total = 0
            self._drain_requested = False
        if self._drain_timer is not None:
            self._drain_timer.stop()
            self._drain_timer = None
        if stream is not None:
            stream.close()

    @work(thread=True, group="logs", exit_on_error=False)
    def _stream_logs(self, token: int, subject: Followed, tail: int | None,
                     since: float | None) -> None:
        backend = backend_on(self.app, getattr(subject, "host", ""))  # a service's: its manager's
        if backend is None:
            self.post_message(self.StreamEnded(token, NOT_CONNECTED))
            return
        try:
            stream = self.open_stream(backend, subject, tail, since)
        except EngineError as error:
            self.post_message(self.StreamEnded(token, str(error)))
            return
        with self._lock:
            if token != self._token:
                stream.close()
                return
            self._stream = stream
        self.post_message(self.StreamOpened(token))
        error: str | None = None
        window_start = time.monotonic()
        window_lines = 0
        try:
            for batch in stream:
                window_lines += len(batch)
                elapsed = time.monotonic() - window_start
                if window_lines >= MAX_LINES_PER_WINDOW:
                    self._capped_at = time.monotonic()
                    if elapsed < FLUSH_SECONDS:
                        time.sleep(FLUSH_SECONDS - elapsed)
                    window_start, window_lines = time.monotonic(), 0
                elif elapsed >= FLUSH_SECONDS:
                    # One window under the cap is not caught up (the UI may have
                    # held the GIL): the backlog ends BACKLOG_SECONDS after the cap.
                    window_start, window_lines = time.monotonic(), len(batch)
                with self._lock:
                    if token != self._token:
                        break
                    self._incoming.extend(batch)
                    self._incoming_total += len(batch)
                    notify = not self._drain_requested
                    self._drain_requested = True
                if notify:
                    self.post_message(self.LinesReady(token))
        except (EngineStreamBroken, EngineError) as failure:
            error = str(failure)
        self.post_message(self.StreamEnded(token, error))

    def open_stream(
        self, backend: DockerBackend, subject: Followed, tail: int | None, since: float | None
    ) -> ClosableStream[list[LogLine]] | MergedLogStream:
        """Open the log stream of the object followed; called in the reader thread."""
        if isinstance(subject, ContainerGroup):
            sources = subject.sources
            if len({member.host for member in subject.members}) > 1:  # a fleet's marks: each from its engine
                sources = [LogSource(m.id, f"{m.host}/{m.name}", backend_on(self.app, m.host)) for m in subject.members]
            return merged_container_logs(backend, sources, tail=tail, since=since)
        return backend.container_logs(subject.id, tail=tail, since=since)

    def state_of(self, item: Followed) -> str:
        return item.state

    def on_log_pane_stream_opened(self, message: StreamOpened) -> None:
        # A container that writes nothing is followed all the same.
        if message.token == self._token and self.stream_state is StreamState.CONNECTING:
            self.stream_state = StreamState.FOLLOWING

    def on_log_pane_lines_ready(self, message: LinesReady) -> None:
        if message.token == self._token:
            self._drain()

    def _drain(self) -> None:
        """Move waiting lines into the view, then hold off for FLUSH_SECONDS."""
        with self._lock:
            lines = list(self._incoming)
            total = self._incoming_total
            self._incoming.clear()
            self._incoming_total = 0
            if not lines:
                # Nothing came meanwhile: the next line asks for a drain itself.
                self._drain_requested = False
        if not lines:
            if self._capped_at:  # the stream may have gone quiet: say so once that shows
                self.set_timer(BACKLOG_SECONDS, self._render_status)
            return
        if self._resumed_after:
            # Resumed from the last line's whole second: drop what was shown already.
            seen = stamp_key(self._resumed_after)
            lines = [line for line in lines if not line.timestamp or stamp_key(line.timestamp) > seen]
            if lines:
                self._resumed_after = ""
        if lines and lines[-1].timestamp:
            self._last_stamp = lines[-1].timestamp
        if self.stream_state is StreamState.CONNECTING:
            self.stream_state = StreamState.FOLLOWING
        self.view.append(lines, received=total)
        self._render_status()
        flooded = len(lines) > self.view.size.height
        self._drain_timer = self.set_timer(FLOOD_FLUSH_SECONDS if flooded else FLUSH_SECONDS, self._drain)

    def on_log_pane_stream_ended(self, message: StreamEnded) -> None:
        if message.token != self._token:
            return
        self._drain()
        self._stream_error = message.error or ""
        self.stream_state = StreamState.FAILED if message.error else StreamState.ENDED
        self._render_status()
        if not message.error and self.container is not None and self._missed_output(self.container):
            self._reopen()

    def resume_after_reconnect(self, at: datetime) -> None:
        """The engine is back: keep the lines shown, mark the gap, and follow on after the last one."""
        self._reopen(f"— reconnected at {at.astimezone():%H:%M:%S} —")

    def _reopen(self, marker: str = "") -> None:
        """Open the stream again after the last line shown, keeping the lines (and adding ``marker``)."""
        container = self.container
        if container is None:
            return
        self.stop()
        if marker:
            self.view.append([LogLine("stdout", self._last_stamp, marker)])
        self._resumed_after = self._last_stamp
        self._open(container, stamp_seconds(self._last_stamp) if self._last_stamp else self.since)
        self._render_status()

    @property
    def behind(self) -> float | None:
        """Seconds the newest line read is behind the clock, while the engine holds a backlog; else None."""
        if not self._last_stamp or time.monotonic() - self._capped_at > BACKLOG_SECONDS:
            return None
        return max(time.time() - stamp_seconds(self._last_stamp), 0.0)

    def skip_to_live(self) -> None:
        """Drop the backlog: keep the lines shown, mark the gap, and follow from now on."""
        container = self.container
        if container is None:
            return
        self.stop()
        now = datetime.now(timezone.utc)
        marker = f"— skipped to live at {now.astimezone():%H:%M:%S}: the output before it was not read —"
        self.view.append([LogLine("stdout", self._last_stamp, marker)])
        self._resumed_after = ""
        # No ``since``: the engine would read its whole log file to find the
        # time; a tail of none starts at the file's end.
        self._open(container, None, tail=0)
        self._render_status()

    def on_log_view_live_requested(self, message: LogView.LiveRequested) -> None:
        if self.behind is not None:
            self.skip_to_live()

    def _missed_output(self, container: Followed) -> bool:
        """After its stream ended, may the container have written more?

        Yes if it runs again, or if the stream opened before it ran: a
        `docker run` of a short command can go from created to exited between
        two re-reads, so its one line is written after an empty stream ended.
        """
        if container.state == "running":
            return True
        return self._opened_state != "running" and container.state != self._opened_state

    # -------------------------------------------------------------- status

    def on_log_view_follow_changed(self, message: LogView.FollowChanged) -> None:
        self._render_status()

    def _render_status(self) -> None:
        parts = status_line(shown_name(self.container) if self.container else None, self.stream_state, self._stream_error,
                            self.behind, self.view, self.since is not None, self.role_style)
        # One row, full width (app.tcss): no layout pass, which would re-arrange the
        # whole screen on every batch of a flood.
        self.query_one("#logs-status", Static).update(parts, layout=False)

    def restyle(self) -> None:
        self._render_status()

    # ------------------------------------------------------------- actions

    def action_toggle_timestamps(self) -> None:
        self.view.set_timestamps(not self.view.show_timestamps)
        self._render_status()

    def action_toggle_wrap(self) -> None:
        self.view.set_wrap(not self.view.wrap)
        self._render_status()

    def action_resume(self) -> None:
        if self.view.following and self.behind is not None:
            self.skip_to_live()
            return
        self.view.resume_following()
        self._render_status()

    def action_find(self, forward: bool) -> None:
        if not self.view.find(forward):
            self.notify("No more matches" if self.view.searching else "Search first with /", timeout=2)


def shown_name(subject: Followed) -> str:
    """The name the status line gives: in a fleet, a container's engine first (web runs on two)."""
    host = getattr(subject, "host", "")
    return f"{host}/{subject.name}" if host and isinstance(subject, ContainerInfo) else subject.name
