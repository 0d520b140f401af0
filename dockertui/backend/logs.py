"""Container logs as whole lines, from TTY and non-TTY containers alike.

The SDK's ``logs(stream=True)`` reads a TTY container one byte per call and
drops which stream (stdout/stderr) a frame came from. We read the response
in large chunks instead, demultiplex Docker's 8-byte frame headers
ourselves, and cut the bytes into lines here, in the backend.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from datetime import datetime, timezone
from functools import partial
from itertools import repeat
from typing import NamedTuple

# Lines longer than this are shown as several pieces of this size.
MAX_LINE_BYTES = 64 * 1024
# An unterminated line is cut here, so a stream with no newline cannot grow
# the buffer without bound.
MAX_PENDING_BYTES = 4 * 1024 * 1024
# The engine stores long lines as 16 KiB "partial" messages and, with
# timestamps on, prefixes every one of them (and with details=1, also with
# the details); we join them up again.
PARTIAL_MESSAGE_BYTES = 16 * 1024
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) ")
# details=1: "k=v,k=v " after the stamp (a service's node, service and task ids).
_DETAILS = re.compile(rb"[^\s=,]+=[^\s,]*(?:,[^\s=,]+=[^\s,]*)* ")
READ_SIZE = 256 * 1024
_FRAME_HEADER = struct.Struct(">BxxxL")
_STREAM_NAMES = {0: "stdout", 1: "stdout", 2: "stderr"}


class LogLine(NamedTuple):
    """One line of a container's output, without its newline.

    A tuple, so that a flood's lines (tens of thousands a second) are made in
    C by ``_new_line`` over whole batches; a frozen dataclass runs Python per
    field of every line.
    """

    stream: str
    timestamp: str
    text: str
    # Who wrote it, where one stream mixes several writers: a service's task ("web.2").
    source: str = ""


# LogLine from a (stream, timestamp, text, source) tuple, with no Python frame.
_new_line = partial(tuple.__new__, LogLine)


def _split_timestamp(raw: bytes, details: bool = False) -> tuple[str, bytes]:
    """With timestamps=1 each entry starts with RFC 3339 and a space.

    ``details``: the body starts with the details, which stay (the caller
    reads them); those the engine repeated inside a long line go.
    """
    match = _STAMP.match(raw)
    if match is None:
        return "", raw
    body = raw[match.end() :]
    if len(body) > PARTIAL_MESSAGE_BYTES:
        body = _join_partial_messages(body, details)
    return match.group()[:-1].decode("ascii"), body


def _join_partial_messages(body: bytes, details: bool) -> bytes:
    # Every 16 KiB of a long line's text the engine inserted another timestamp
    # (and the details again).
    pieces = []
    position = 0
    if details and (head := _DETAILS.match(body)) is not None:
        pieces.append(body[: head.end()])
        position = head.end()
    while len(body) - position > PARTIAL_MESSAGE_BYTES:
        pieces.append(body[position : position + PARTIAL_MESSAGE_BYTES])
        position += PARTIAL_MESSAGE_BYTES
        match = _STAMP.match(body, position)
        if match is not None:
            position = match.end()
            if details and (again := _DETAILS.match(body, position)) is not None:
                position = again.end()
    pieces.append(body[position:])
    return b"".join(pieces)


def looks_like_stamp(word: str) -> bool:
    """``2026-12-06T08:19:06.123456789Z``: the shape of the engine's stamp, cheaply (once per line)."""
    return len(word) >= 20 and word[10] == "T" and word[4] == "-" and word[19] in ".Z+-" and word[:4].isdigit()


# Lines longer than this (in characters) take the byte-exact path: partial
# messages joined, pieces of MAX_LINE_BYTES cut.
_FAST_LINE_CHARS = min(PARTIAL_MESSAGE_BYTES, MAX_LINE_BYTES) // 4

# A stamped line, as looks_like_stamp reads its first word: the stamp (at most
# 64 characters; the engine's have up to 35) and the rest, together no longer
# than _FAST_LINE_CHARS. Any other line goes through looks_like_stamp.
_STAMPED_LINE = re.compile(
    rf"^(\d{{4}}-[^ \n]{{5}}T[^ \n]{{8}}[.Z+-][^ \n]{{0,44}}) (.{{0,{_FAST_LINE_CHARS - 65}}})$", re.MULTILINE
)


class LineSplitter:
    """Bytes of one stream in, whole lines out; a partial line waits for its end.

    A flood is tens of thousands of lines a second, so the work is per batch
    where it can be: all the whole lines of a feed are decoded in one call and
    split in one call (a newline is never part of a UTF-8 sequence, so this
    decodes exactly as line by line would), and the engine's stamps are split
    off all its lines by one regex search.
    """

    def __init__(self, stream: str, timestamps: bool = True, details: bool = False) -> None:
        self.stream = stream
        self._timestamps = timestamps
        self._details = details
        self._partial = b""

    def feed(self, data: bytes) -> list[LogLine]:
        data = self._partial + data if self._partial else data
        end = data.rfind(b"\n")
        if end < 0:
            if len(data) > MAX_PENDING_BYTES:
                self._partial = b""
                return self._slow_lines(data)
            self._partial = data
            return []
        partial = data[end + 1 :]
        if len(partial) > MAX_PENDING_BYTES:
            lines = self._lines_of(data[:end]) + self._slow_lines(partial)
            self._partial = b""
            return lines
        self._partial = partial
        return self._lines_of(data[:end])

    def flush(self) -> list[LogLine]:
        """The last line, if the stream ended without a newline."""
        if not self._partial:
            return []
        piece, self._partial = self._partial, b""
        return self._slow_lines(piece)

    def _lines_of(self, block: bytes) -> list[LogLine]:
        """Every line of ``block`` (whole lines, without the last newline)."""
        decoded = block.decode("utf-8", errors="replace")
        if "\r" in decoded:  # one CR before each line end goes, as with CRLF endings
            decoded = decoded.replace("\r\n", "\n").removesuffix("\r")
        stream = self.stream
        if self._timestamps:
            stamped = _STAMPED_LINE.findall(decoded)
            if len(stamped) == decoded.count("\n") + 1:  # the engine's own: every line stamped, none long
                stamps, bodies = zip(*stamped)
                return list(map(_new_line, zip(repeat(stream), stamps, bodies, repeat(""))))
        texts = decoded.split("\n")
        if max(map(len, texts)) > _FAST_LINE_CHARS:
            # A long line (rare): its partial messages are joined by their byte lengths.
            return [line for raw in block.split(b"\n") for line in self._slow_lines(raw)]
        if not self._timestamps:
            return list(map(_new_line, zip(repeat(stream), repeat(""), texts, repeat(""))))
        lines: list[LogLine] = []
        for text in texts:
            stamp, space, body = text.partition(" ")
            if space and looks_like_stamp(stamp):
                lines.append(LogLine(stream, stamp, body))
            else:
                lines.append(LogLine(stream, "", text))
        return lines

    def _slow_lines(self, raw: bytes) -> list[LogLine]:
        """One line, or several pieces of a very long one, all with its timestamp."""
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        stamp, body = _split_timestamp(raw, self._details) if self._timestamps else ("", raw)
        if len(body) <= MAX_LINE_BYTES:
            return [LogLine(self.stream, stamp, body.decode("utf-8", errors="replace"))]
        return [
            LogLine(self.stream, stamp, body[i : i + MAX_LINE_BYTES].decode("utf-8", errors="replace"))
            for i in range(0, len(body), MAX_LINE_BYTES)
        ]


class FrameDecoder:
    """Docker's multiplexed stream (non-TTY containers): 8-byte header, then payload.

    The engine sends a frame per line; the payloads of consecutive frames of
    one stream are joined and split into lines together.
    """

    def __init__(self, timestamps: bool = True, details: bool = False) -> None:
        self._buffer = b""
        self._splitters = {name: LineSplitter(name, timestamps, details) for name in ("stdout", "stderr")}

    def feed(self, data: bytes) -> list[LogLine]:
        buffer = self._buffer + data if self._buffer else data
        lines: list[LogLine] = []
        offset = 0
        size = _FRAME_HEADER.size
        run: list[bytes] = []  # payloads of consecutive frames of run_stream
        run_stream = ""
        unpack = _FRAME_HEADER.unpack_from
        while len(buffer) - offset >= size:
            stream_id, length = unpack(buffer, offset)
            if len(buffer) - offset - size < length:
                break
            start = offset + size
            stream = _STREAM_NAMES.get(stream_id, "stdout")
            if stream != run_stream and run:
                lines.extend(self._splitters[run_stream].feed(b"".join(run)))
                run = []
            run_stream = stream
            run.append(buffer[start : start + length])
            offset = start + length
        if run:
            lines.extend(self._splitters[run_stream].feed(b"".join(run)))
        self._buffer = buffer[offset:]
        return lines

    def flush(self) -> list[LogLine]:
        return [line for splitter in self._splitters.values() for line in splitter.flush()]


def read_log_batches(
    chunks: Iterator[bytes], tty: bool, timestamps: bool = True, details: bool = False
) -> Iterator[list[LogLine]]:
    """Cut raw log chunks into lines; one list per chunk read (never empty)."""
    decoder: LineSplitter | FrameDecoder = (
        LineSplitter("stdout", timestamps, details) if tty else FrameDecoder(timestamps, details)
    )
    for chunk in chunks:
        lines = decoder.feed(chunk)
        if lines:
            yield lines
    tail = decoder.flush()
    if tail:
        yield tail


def stamp_key(stamp: str) -> tuple[str, int]:
    """An engine timestamp (RFC 3339, up to nanoseconds, trailing zeros cut) in an order that sorts right."""
    whole, _, rest = stamp.rstrip("Z").partition(".")
    return whole, int((rest + "000000000")[:9] or 0)


def stamp_seconds(stamp: str) -> float:
    """The whole second of an engine timestamp, as epoch seconds (``since`` takes them)."""
    return datetime.fromisoformat(stamp_key(stamp)[0]).replace(tzinfo=timezone.utc).timestamp()
