"""Cutting raw log bytes into lines: TTY and multiplexed streams, hostile input."""

import struct

from dockertui.backend.logs import MAX_LINE_BYTES, FrameDecoder, LineSplitter, read_log_batches


def frame(stream: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(payload)) + payload


def test_tty_bytes_arriving_one_at_a_time_make_whole_lines():
    raw = b"2026-11-29T02:04:12.412221873Z hello\r\n2026-11-29T02:04:12.5Z world\r\n"
    lines = [line for batch in read_log_batches(iter(bytes([b]) for b in raw), tty=True) for line in batch]
    assert [(line.timestamp, line.text) for line in lines] == [
        ("2026-11-29T02:04:12.412221873Z", "hello"),
        ("2026-11-29T02:04:12.5Z", "world"),
    ]


def test_frames_are_demultiplexed_even_when_split_mid_header():
    data = frame(1, b"out one\nout ") + frame(2, b"err one\n") + frame(1, b"two\n")
    decoder = FrameDecoder(timestamps=False)
    lines = []
    for i in range(0, len(data), 3):
        lines.extend(decoder.feed(data[i : i + 3]))
    assert [(line.stream, line.text) for line in lines] == [
        ("stdout", "out one"),
        ("stderr", "err one"),
        ("stdout", "out two"),
    ]


def test_last_line_without_newline_is_flushed():
    batches = list(read_log_batches(iter([frame(1, b"a\nb")]), tty=False, timestamps=False))
    assert [line.text for batch in batches for line in batch] == ["a", "b"]


def test_invalid_utf8_is_replaced_not_fatal():
    splitter = LineSplitter("stdout", timestamps=False)
    (line,) = splitter.feed(b"bad \xff\xfe bytes [/foo]\n")
    assert line.text == "bad \ufffd\ufffd bytes [/foo]"


def test_engine_partial_message_timestamps_are_joined_away():
    stamp = b"2026-11-29T02:04:12.412221873Z "
    body = b"a" * 16384 + stamp + b"b" * 16384 + stamp + b"c" * 10
    (line, *rest) = LineSplitter("stdout").feed(stamp + body + b"\n")
    text = "".join([line.text, *(r.text for r in rest)])
    assert text == "a" * 16384 + "b" * 16384 + "c" * 10


def test_with_details_the_repeated_details_go_and_the_first_stays():
    """A service's long line: every 16 KiB piece has a stamp and the details again."""
    stamp = b"2026-11-29T02:04:12.412221873Z "
    details = b"com.docker.swarm.node.id=n1,com.docker.swarm.task.id=t1 "
    body = details + b"a=b " + b"a" * 16380 + stamp + details + b"b" * 16384 + stamp + details + b"c=d" * 3
    (line, *rest) = LineSplitter("stdout", details=True).feed(stamp + body + b"\n")
    text = "".join([line.text, *(r.text for r in rest)])
    # The text's own "a=b " and "c=d" are text: only the engine's prefixes go.
    assert text == (details + b"a=b " + b"a" * 16380 + b"b" * 16384 + b"c=d" * 3).decode()


def test_a_megabyte_line_is_cut_into_bounded_pieces_and_nothing_is_lost():
    splitter = LineSplitter("stdout", timestamps=False)
    big = b"x" * (1024 * 1024)
    lines = splitter.feed(big[: len(big) // 2]) + splitter.feed(big[len(big) // 2 :] + b"\n")
    assert all(len(line.text) <= MAX_LINE_BYTES for line in lines)
    assert sum(len(line.text) for line in lines) == len(big)


def test_chunked_decoding_over_arbitrary_reads():
    from dockertui.backend.chunked import ChunkedDecoder

    body = [b"hello\n", b"x" * 300, b"", b"end\n"]
    wire = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in body if part) + b"0\r\n\r\n"
    for step in (1, 2, 3, 7, 64, len(wire)):
        decoder = ChunkedDecoder()
        out = b"".join(decoder.feed(wire[i : i + step]) for i in range(0, len(wire), step))
        assert out == b"".join(body)
        assert decoder.finished


def test_a_batch_decodes_as_line_by_line_would():
    """Lines are decoded a feed at a time: stamps, CRs, bad bytes, multibyte text and stream order all hold."""
    data = (
        frame(1, b"2026-11-29T02:04:12.412221873Z caf\xc3\xa9 \xff\r\n")
        + frame(1, b"2026-11-29T02:04:12+01:00 offset stamp\n")
        + frame(2, b"2026-11-29T02:04:13Z to stderr\n")
        + frame(1, b"not-a-stamp at all\n")
        + frame(1, b"2026-11-29T02:04:14Z " + "ü".encode() * 3000 + b"\n")  # 6 KB, fewer characters
    )
    lines = FrameDecoder().feed(data)
    assert [(line.stream, line.timestamp, line.text[:20]) for line in lines] == [
        ("stdout", "2026-11-29T02:04:12.412221873Z", "café \ufffd"),
        ("stdout", "2026-11-29T02:04:12+01:00", "offset stamp"),
        ("stderr", "2026-11-29T02:04:13Z", "to stderr"),
        ("stdout", "", "not-a-stamp at all"),
        ("stdout", "2026-11-29T02:04:14Z", "ü" * 20),
    ]
    assert lines[-1].text == "ü" * 3000


def test_a_long_line_among_short_ones_still_has_its_partial_stamps_joined():
    body = b"x" * (16 * 1024) + b"2026-11-29T02:04:12.5Z " + b"y" * 10
    data = frame(1, b"2026-11-29T02:04:11Z short\n") + frame(1, b"2026-11-29T02:04:12Z " + body + b"\n")
    lines = FrameDecoder().feed(data)
    assert [line.text for line in lines] == ["short", "x" * (16 * 1024) + "y" * 10]


def test_chunks_with_crlf_in_their_data_or_extensions_decode_over_any_reads():
    """Whole chunks are cut in one go only when that is proven right; CRLFs in data, extensions, the end."""
    import random

    from dockertui.backend.chunked import ChunkedDecoder

    chooser = random.Random(15)
    for _ in range(500):
        parts = [bytes(chooser.choice(b"\r\nab;0") for _ in range(chooser.choice([1, 2, 5, 30, 300])))
                 for _ in range(chooser.randrange(1, 20))]
        wire = b"".join(f"{len(part):x}".encode() + (b";x=1" if chooser.random() < 0.1 else b"") + b"\r\n"
                        + part + b"\r\n" for part in parts) + b"0\r\n\r\n"
        decoder, out, position = ChunkedDecoder(), [], 0
        while position < len(wire):
            step = chooser.randrange(1, chooser.choice([5, 50, 2000]))
            out.append(decoder.feed(wire[position : position + step]))
            position += step
        assert b"".join(out) == b"".join(parts)
        assert decoder.finished


def test_a_long_first_word_shaped_like_a_stamp_is_text_among_stamped_lines():
    """The batch's one search takes only short stamps; a long line goes the byte-exact way, as before."""
    word = b"2026-11-29T02:04:12Z" + b"y" * 5000
    lines = LineSplitter("stdout").feed(b"2026-11-29T02:04:11Z short\n" + word + b"\n")
    assert [(line.timestamp, line.text) for line in lines] == [
        ("2026-11-29T02:04:11Z", "short"), ("", word.decode())]
