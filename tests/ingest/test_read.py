"""Reading inputs: files, directories, gzip, stdin, URLs (a local server), charsets and every refusal."""

from __future__ import annotations

import gzip
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from casetrack.errors import InputError
from casetrack.ingest.read import HTML, MARKDOWN, PLAIN, RawInput, decode, iter_inputs, read_input

ARTICLE = "<html><head><title>A court in Minsk</title></head><body><p>Judge Petrova sentenced the activist.</p></body></html>"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(target: str, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        read_input(target, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and caught.value.hint
    return message


# --- files and directories ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("a.html", HTML), ("a.htm", HTML), ("a.txt", PLAIN), ("a.md", MARKDOWN), ("noext", HTML)],
)
def test_media_type_from_suffix_or_content(tmp_path: Path, name: str, media_type: str) -> None:
    body = ARTICLE if media_type == HTML else "Some article text.\n"
    raw = read_input(str(write(tmp_path / name, body)))
    assert raw.media_type == media_type
    assert raw.data == body.encode() and raw.url is None and raw.input == str(tmp_path / name)
    assert raw.retrieved_at.tzinfo is not None


def test_gzip_file_is_stored_decompressed(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html.gz", gzip.compress(ARTICLE.encode()))
    raw = read_input(str(path))
    assert raw.data == ARTICLE.encode() and raw.media_type == HTML


def test_corrupt_gzip_is_refused(tmp_path: Path) -> None:
    data = gzip.compress(ARTICLE.encode() * 50)
    path = write(tmp_path / "page.html.gz", data[: len(data) // 2])
    assert "gzip" in refused(str(path))


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert "no such file" in refused(str(tmp_path / "nope.html"))


def test_directory_expands_recursively_sorted_and_filtered(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "text")
    write(tmp_path / "sub" / "a.html", ARTICLE)
    write(tmp_path / "sub" / "c.html.gz", gzip.compress(b"x"))
    write(tmp_path / "image.png", b"\x89PNG")
    write(tmp_path / ".hidden.txt", "x")
    write(tmp_path / ".git" / "notes.txt", "x")
    found = list(iter_inputs([str(tmp_path)]))
    assert found == [
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "a.html"),
        str(tmp_path / "sub" / "c.html.gz"),
    ]
    write(tmp_path / "sub" / "deep" / "d.txt", "text")
    assert list(iter_inputs([str(tmp_path)], glob="*.txt")) == [
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "deep" / "d.txt"),
    ]
    assert list(iter_inputs([str(tmp_path)], glob="sub/*")) == [
        str(tmp_path / "sub" / "a.html"),
        str(tmp_path / "sub" / "c.html.gz"),
    ]


def test_urls_stdin_and_missing_paths_pass_through_once(tmp_path: Path) -> None:
    targets = ["https://example.org/a", "-", str(tmp_path / "missing.txt"), "-"]
    assert list(iter_inputs(targets)) == targets[:3]
    assert list(iter_inputs([], stdin=io.BytesIO(b"x"))) == ["-"]
    assert list(iter_inputs([])) == []


def test_directory_with_nothing_matching_is_refused_in_turn(tmp_path: Path) -> None:
    write(tmp_path / "data.csv", "a,b")
    assert list(iter_inputs([str(tmp_path)])) == [str(tmp_path)]
    assert "no ingestible files" in refused(str(tmp_path))


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", "text")

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert "cannot be read (Permission denied)" in refused(str(path))


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 8,
        b"%PDF-1.7\n" + bytes([0, 1, 2, 3, 200, 201]) * 100,
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200,
    ],
)
def test_binary_data_is_refused(tmp_path: Path, data: bytes) -> None:
    assert "binary" in refused(str(write(tmp_path / "article.txt", data)))


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\u00a0\u2003\n".encode()])
def test_empty_or_whitespace_is_refused(tmp_path: Path, data: bytes) -> None:
    assert "empty" in refused(str(write(tmp_path / "article.txt", data)))


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "word " * 300)
    assert "limit" in refused(str(path), max_bytes=1000)
    assert read_input(str(path), max_bytes=2000).data.startswith(b"word")


def test_gzip_bomb_is_refused_by_decompressed_size(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.html.gz", gzip.compress(b"<p>" + b"a" * 100_000))
    assert "limit" in refused(str(path), max_bytes=10_000)


# --- stdin ------------------------------------------------------------------------------------------


def test_stdin_text_and_html_are_read_and_sniffed() -> None:
    raw = read_input("-", stdin=io.BytesIO(b"Plain text from a pipe.\n"))
    assert raw.input == "-" and raw.media_type == PLAIN and raw.data == b"Plain text from a pipe.\n"
    assert read_input("-", stdin=io.BytesIO(b"\n  <!DOCTYPE html><html></html>")).media_type == HTML
    gz = read_input("-", stdin=io.BytesIO(gzip.compress(ARTICLE.encode())))
    assert gz.data == ARTICLE.encode() and gz.media_type == HTML


def test_stdin_refusals() -> None:
    assert "empty" in refused("-", stdin=io.BytesIO(b""))
    assert "limit" in refused("-", stdin=io.BytesIO(b"x" * 5000), max_bytes=100)
    assert "binary" in refused("-", stdin=io.BytesIO(b"\x00\x01\x02abc"))


# --- charsets ---------------------------------------------------------------------------------------

CYRILLIC = (
    "Суд приговорил правозащитника к пяти годам колонии. Адвокат обжалует приговор в областном суде. " * 3
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbf" + CYRILLIC.encode("utf-8"), CYRILLIC),
        (CYRILLIC.encode("utf-16"), CYRILLIC),
        (CYRILLIC.encode("utf-8"), CYRILLIC),
        (CYRILLIC.encode("cp1251"), CYRILLIC),
        (CYRILLIC.encode("koi8-r"), CYRILLIC),
    ],
)
def test_text_charsets(tmp_path: Path, data: bytes, expected: str) -> None:
    raw = read_input(str(write(tmp_path / "a.txt", data)))
    text, _encoding = decode(raw)
    assert text.strip() == expected.strip()


def test_html_meta_charset_is_used(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="windows-1251"><title>t</title></head><body><p>{CYRILLIC}</p></body></html>'
    raw = read_input(str(write(tmp_path / "a.html", page.encode("cp1251"))))
    text, encoding = decode(raw)
    assert CYRILLIC in text and encoding == "cp1251"


def test_wrong_declared_charset_falls_back_to_the_bytes(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="no-such-charset"></head><body><p>{CYRILLIC}</p></body></html>'
    text, encoding = decode(read_input(str(write(tmp_path / "a.html", page.encode()))))
    assert CYRILLIC in text and encoding == "utf-8"


def test_invalid_utf8_in_mostly_utf8_text_is_decoded_not_raised(tmp_path: Path) -> None:
    data = ("Activist detained in Bishkek. " * 20).encode() + b"\xff\xfe\xc3" + b" More text." * 5
    text, _encoding = decode(read_input(str(write(tmp_path / "a.txt", data))))
    assert "Activist detained in Bishkek." in text


# --- URLs (a local server, never the internet) ------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        routes = {
            "/article": self.article,
            "/cp1251": self.cp1251,
            "/big": self.big,
            "/stream": self.stream,
            "/loop": self.loop,
            "/hop": self.hop,
        }
        routes.get(self.path, self.missing)()

    def send(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def article(self) -> None:
        self.send(200, ARTICLE.encode())

    def cp1251(self) -> None:
        self.send(200, f"<p>{CYRILLIC}</p>".encode("cp1251"), "text/html; charset=windows-1251")

    def big(self) -> None:
        self.send(200, b"<p>" + b"a" * 50_000 + b"</p>")

    def stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(b"x" * 1000)
        self.close_connection = True

    def loop(self) -> None:
        self.send(302, b"", Location="/loop")

    def hop(self) -> None:
        self.send(301, b"", Location="/article")

    def missing(self) -> None:
        self.send(404, b"not here")


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_records_final_url_type_and_charset(server: str) -> None:
    raw = read_input(f"{server}/hop")
    assert isinstance(raw, RawInput)
    assert raw.input == f"{server}/hop" and raw.url == f"{server}/article"
    assert raw.data == ARTICLE.encode() and raw.media_type == HTML
    text, _encoding = decode(read_input(f"{server}/cp1251"))
    assert CYRILLIC in text


def test_fetch_refusals(server: str) -> None:
    assert "HTTP 404" in refused(f"{server}/missing")
    assert "redirects" in refused(f"{server}/loop")
    assert "limit" in refused(f"{server}/big", max_bytes=10_000)
    assert "limit" in refused(f"{server}/stream", max_bytes=10_000)


def test_fetch_failure_is_an_input_error() -> None:
    with pytest.raises(InputError, match="fetch failed"):
        read_input("http://127.0.0.1:9/unreachable")


def test_a_path_too_long_for_the_file_system_is_an_input_error(tmp_path: Path) -> None:
    target = str(tmp_path / ("x" * 300 + ".txt"))
    assert list(iter_inputs([target])) == [target]
    with pytest.raises(InputError, match="not a usable path"):
        read_input(target)
