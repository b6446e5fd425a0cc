"""From a path, a URL or standard input to checked bytes: the first step of ingest.

``iter_inputs`` expands what the user typed (directories recursively through a
glob, keeping URLs and ``-`` as they are); ``read_input`` turns one target into
a :class:`RawInput` or refuses it with one :class:`~casetrack.errors.InputError`
whose message says what is wrong and whose hint says what to do. Every refusal
happens here, before any cleaning: missing or unreadable paths, directories
with nothing to ingest, oversized input (checked while reading or streaming, so
a huge file or an endless response is never held in memory), corrupt gzip,
binary or undecodable bytes, empty or whitespace-only text, failed fetches.

``RawInput.data`` is the document's bytes after transport decoding (a
``.html.gz`` file is stored decompressed): what the sha256 is taken of and
what can be re-extracted later. ``decode`` turns them into text: a byte-order
mark wins, then a declared charset (HTTP header or HTML ``<meta>``), then
strict UTF-8, then charset-normalizer's best guess. Network access happens
only for an explicit http(s) URL, with a timeout, a redirect limit and a size
cap enforced while streaming.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from casetrack.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
FETCH_TIMEOUT = 20.0
MAX_REDIRECTS = 5
USER_AGENT = "casetrack (human-rights case tracker; +https://example.invalid/casetrack)"

HTML = "text/html"
PLAIN = "text/plain"
MARKDOWN = "text/markdown"

_SUFFIX_TYPES = {
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".txt": PLAIN,
    ".text": PLAIN,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
}
INGESTIBLE = (".html", ".htm", ".xhtml", ".txt", ".text", ".md", ".markdown")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\ud800-\udfff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_HTML_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p)\b", re.I | re.S
)


@dataclass(frozen=True, slots=True)
class RawInput:
    """One input's bytes and where they came from.

    ``encoding`` is the charset the bytes are in as far as known: declared by
    the server or found when ``read_input`` checked them; ``decode`` tries it first.
    """

    input: str
    data: bytes = field(repr=False)
    media_type: str
    url: str | None
    retrieved_at: dt.datetime
    encoding: str | None = None


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def _ingestible(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(INGESTIBLE)


def iter_inputs(targets: list[str], *, glob: str = "**/*", stdin: BinaryIO | None = None) -> Iterator[str]:
    """Every input named by ``targets``: directories expanded (sorted), URLs, ``-`` and files as given.

    A ``glob`` without a slash matches file names at any depth ("*.html");
    hidden files and folders (``.git``) are skipped.
    A directory in which ``glob`` matches no ingestible file is yielded itself,
    so that ``read_input`` refuses it in turn and the rest of a batch goes on.
    With no targets and a ``stdin`` given, standard input (``-``) is the input.
    """
    if not targets and stdin is not None:
        yield "-"
        return
    pattern = glob if "/" in glob or glob.startswith("**") else f"**/{glob}"
    seen: set[str] = set()
    for target in targets:
        if target == "-" or is_url(target) or not _is_dir(target):
            if target not in seen:
                seen.add(target)
                yield target
            continue
        found = False
        root = Path(target)
        for path in sorted(root.glob(pattern)):
            hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
            if not hidden and path.is_file() and _ingestible(path) and str(path) not in seen:
                found = True
                seen.add(str(path))
                yield str(path)
        if not found:
            yield target


def read_input(target: str, *, max_bytes: int = MAX_BYTES, stdin: BinaryIO | None = None) -> RawInput:
    """Read one target into checked bytes; raise InputError for anything that is not a text document."""
    now = dt.datetime.now(dt.UTC)
    if target == "-":
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("standard input cannot be read as bytes", hint="pass a file path instead of -")
        data = _read_limited(stream, max_bytes, "standard input")
        data = _gunzip_if_gzip(data, max_bytes, "standard input")
        raw = RawInput("-", data, _sniff(data), None, now)
    elif is_url(target):
        raw = _fetch(target, max_bytes, now)
    else:
        raw = _read_file(target, max_bytes, now)
    _text, encoding = decode(raw)
    return replace(raw, encoding=encoding)


def _is_dir(target: str) -> bool:
    """Like ``Path.is_dir`` but False for any path the system cannot even look up (too long, ...)."""
    try:
        return Path(target).is_dir()
    except OSError:
        return False


def _read_file(target: str, max_bytes: int, now: dt.datetime) -> RawInput:
    path = Path(target)
    try:
        exists = path.exists()
    except OSError as exc:
        raise InputError(
            f"{target[:80]}: not a usable path ({exc.strerror or exc})", hint="check the path"
        ) from None
    if not exists:
        raise InputError(f"{target}: no such file or directory", hint="check the path")
    if path.is_dir():
        raise InputError(
            f"{target}: directory with no ingestible files ({', '.join(INGESTIBLE)}, optionally .gz)",
            hint="point at the files or widen --glob",
        )
    try:
        size = path.stat().st_size
        if size > max_bytes and not path.name.lower().endswith(".gz"):
            raise _too_large(target, max_bytes)
        with path.open("rb") as handle:
            data = _read_limited(handle, max_bytes, target)
    except OSError as exc:
        raise InputError(
            f"{target}: cannot be read ({exc.strerror or exc})", hint="check its permissions"
        ) from None
    name = path.name.lower()
    if name.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = _gunzip(data, max_bytes, target)
        name = name.removesuffix(".gz")
    media_type = _SUFFIX_TYPES.get(Path(name).suffix) or _sniff(data)
    return RawInput(target, data, media_type, None, now)


def _too_large(target: str, max_bytes: int) -> InputError:
    return InputError(
        f"{target}: larger than the {max_bytes // (1024 * 1024) or 1} MiB limit for one article",
        hint="split it or save only the article page",
    )


def _read_limited(stream: BinaryIO, max_bytes: int, target: str) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(target, max_bytes)
    return data


def _gunzip_if_gzip(data: bytes, max_bytes: int, target: str) -> bytes:
    return _gunzip(data, max_bytes, target) if data[:2] == b"\x1f\x8b" else data


def _gunzip(data: bytes, max_bytes: int, target: str) -> bytes:
    import io

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            return _read_limited(handle, max_bytes, target)  # type: ignore[arg-type]
    except (OSError, EOFError, zlib.error):
        raise InputError(
            f"{target}: corrupt or truncated gzip data", hint="re-save or re-download the page"
        ) from None


def _sniff(data: bytes) -> str:
    head = data[:2048].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")
    return HTML if _HTML_SNIFF.match(head) else PLAIN


def _fetch(url: str, max_bytes: int, now: dt.datetime) -> RawInput:
    import httpx

    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,text/plain;q=0.9,*/*;q=0.5"}
    try:
        with (
            httpx.Client(
                timeout=FETCH_TIMEOUT, follow_redirects=True, max_redirects=MAX_REDIRECTS, headers=headers
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(
                    f"{url}: the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                    hint="check the address or save the page from a browser",
                )
            declared = response.headers.get("content-length", "")
            if declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise _too_large(url, max_bytes)
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            final_url = str(response.url)
            charset = response.charset_encoding
    except httpx.TooManyRedirects:
        raise InputError(
            f"{url}: more than {MAX_REDIRECTS} redirects", hint="open it in a browser and save the final page"
        ) from None
    except httpx.TimeoutException:
        raise InputError(f"{url}: no answer within {FETCH_TIMEOUT:.0f} s", hint="try again later") from None
    except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise InputError(
            f"{url}: fetch failed ({type(exc).__name__})", hint="check the address and the network"
        ) from None
    data = _gunzip_if_gzip(b"".join(chunks), max_bytes, url)
    media = content_type.split(";")[0].strip().lower()
    media_type = (
        HTML if "html" in media else PLAIN if media == PLAIN else MARKDOWN if "markdown" in media else ""
    )
    return RawInput(url, data, media_type or _sniff(data), final_url, now, charset)


def decode(raw: RawInput) -> tuple[str, str]:
    """The text of ``raw`` and the charset it was decoded with; InputError if binary, undecodable or empty."""
    data = raw.data
    text, encoding = _decode_bytes(data, raw.media_type, raw.encoding)
    if text is None or _looks_binary(text):
        raise InputError(
            f"{raw.input}: binary or undecodable data, not a text or HTML article",
            hint="save the article as .html, .txt or .md",
        )
    if not text.strip():
        raise InputError(
            f"{raw.input}: empty (no text in it)", hint="check that the page was saved completely"
        )
    return text, encoding


def _decode_bytes(data: bytes, media_type: str, declared: str | None) -> tuple[str | None, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None, encoding
    if b"\x00" in data[:65536]:
        return None, "binary"
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    if media_type == HTML:
        meta = _META_CHARSET.search(data[:4096])
        if meta:
            candidates.append(meta.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            name = codecs.lookup(encoding).name
            if name in ("utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
                continue  # without a BOM these are not trusted
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            continue
    return _detect(data)


def _detect(data: bytes) -> tuple[str | None, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None, "unknown"
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    return bool(sample) and len(_BINARY_CHARS.findall(sample)) / len(sample) > 0.02
