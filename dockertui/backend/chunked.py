"""HTTP/1.1 chunked transfer coding, undone over reads of any size.

The engine sends every log line as its own HTTP chunk; letting the HTTP
library decode them means one read call per line. Reading the socket in bulk
and stripping the framing here takes thousands of lines per read.
"""

from __future__ import annotations

from itertools import repeat


class ChunkedDecoder:
    """Feed it what the socket gave; it returns the body bytes that were in it."""

    def __init__(self) -> None:
        self._buffer = b""
        self._left = 0  # bytes still due in the current chunk
        self._crlf = False  # the CRLF after a chunk is still due
        self.finished = False

    def feed(self, data: bytes) -> bytes:
        buffer = self._buffer + data if self._buffer else data
        if not (self._left or self._crlf or self.finished):
            body = self._whole_chunks(buffer)
            if body is not None:
                return body
        return self._chunk_by_chunk(buffer)

    def _whole_chunks(self, buffer: bytes) -> bytes | None:
        """All of ``buffer``'s chunks at once, in C; None where that cannot be trusted.

        Split at every CRLF, the pieces are size, data, size, data …, as long
        as no data holds a CRLF of its own. If one does, the first such piece
        is shorter than its size says, so checking every size against the
        length of the piece after it proves the split right. A size with an
        extension (";") fails int() and so takes the slow path too.
        """
        pieces = buffer.split(b"\r\n")
        whole = (len(pieces) - 1) // 2 * 2  # the pieces of chunks that ended
        sizes, datas = pieces[0:whole:2], pieces[1:whole:2]
        try:
            lengths = list(map(int, sizes, repeat(16)))
        except ValueError:
            return None
        if lengths != list(map(len, datas)) or 0 in lengths:  # a CRLF in data, or the last chunk
            return None
        self._buffer = b"\r\n".join(pieces[whole:])
        return b"".join(datas)

    def _chunk_by_chunk(self, buffer: bytes) -> bytes:
        position = 0
        body: list[bytes] = []
        while not self.finished:
            if self._left:
                take = min(self._left, len(buffer) - position)
                body.append(buffer[position : position + take])
                position += take
                self._left -= take
                if self._left:
                    break
                self._crlf = True
            if self._crlf:
                if len(buffer) - position < 2:
                    break
                position += 2
                self._crlf = False
            end = buffer.find(b"\r\n", position)
            if end < 0:
                break
            size = int(buffer[position:end].split(b";", 1)[0], 16)
            position = end + 2
            if size == 0:
                self.finished = True
            self._left = size
        self._buffer = buffer[position:]
        return b"".join(body)
