"""Records → documents and clusters: decoding, cleaning and the ingest limits.

Every reader builds its clusters here, so a file, a JSONL line and a dataset row are cleaned and
checked the same way; a problem is an ``InputError`` naming the file, line or field.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.config_schema import IngestConfig
from summarizer.errors import UsageError
from summarizer.ingest.clean import clean_text
from summarizer.ingest.html_text import looks_like_html, read_page
from summarizer.ingest.outlet import outlet_name
from summarizer.text import printable, word_count
from summarizer.types import Cluster, Document


class InputError(UsageError):
    """Input that cannot be summarised; the message names the file, line or field."""


_BINARY_SAMPLE = 8192


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and a warning when a fallback encoding was needed."""

    text: str
    warning: str | None = None


def decode_bytes(data: bytes, where: str) -> Decoded:
    """Decode file bytes: UTF-32 or UTF-16 by its byte-order mark, else UTF-8, else Windows-1252
    with a warning."""
    unicode = bom_encoding(data)
    if unicode:
        try:
            return Decoded(data.decode(unicode))
        except UnicodeDecodeError as error:  # most often a file cut one byte short: keep what decodes
            name = unicode.upper()
            return Decoded(data.decode(unicode, errors="replace"),
                           f"{where}: starts as {name} but is not valid {name} ({error.reason} at byte {error.start}); "
                           "undecodable bytes were replaced, check the end of the text")
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        raise InputError(f"{where}: looks like a binary file (it contains NUL bytes); "
                         "give plain-text articles")
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        guess = _non_latin_encoding(data)
        if guess:
            return Decoded(data.decode(guess, errors="replace"),
                           f"{where}: not valid UTF-8 (byte {error.start}); read as {guess} (detected), check the text")
        text = data.decode("cp1252", errors="replace")
        return Decoded(text, f"{where}: not valid UTF-8 (byte {error.start}); "
                             "read as Windows-1252/Latin-1, check accented characters")


def bom_encoding(data: bytes) -> str | None:
    """"utf-32" or "utf-16" when ``data`` starts with that encoding's byte-order mark, else None
    (UTF-32's little-endian mark begins with UTF-16's, so it is tested first)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def _non_latin_encoding(data: bytes) -> str | None:
    """The legacy encoding of text in a non-Latin script (Cyrillic cp1251, Japanese Shift-JIS,
    Chinese GB18030 …), as charset-normalizer detects it; None for Latin-script text, which
    Windows-1252 reads (the detector's guesses among the Latin code pages are often wrong)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None or all(any(part in alphabet for part in _SCRIPTLESS) for alphabet in best.alphabets):
        return None
    return best.encoding


# Unicode blocks that are no script, or the Latin one: text whose detected decoding uses only these
# is Latin-script text (a newline is a "Control character"; a wrong Latin code page's guess may
# show box-drawing or mathematical signs).
_SCRIPTLESS = ("Latin", "Punctuation", "Control character", "Symbols", "Number Forms", "Letterlike",
               "Arrows", "Mathematical", "Box Drawing", "Block Elements", "Geometric Shapes", "Spacing Modifier")


def iso_date(value: str, where: str) -> str:
    """``value`` as an ISO 8601 date or date-time ("2024-06-19", "2024-06-19T14:05"), or an
    InputError naming ``where``; "" stays ""."""
    from datetime import date, datetime

    value = value.strip()
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat(timespec="minutes") \
            if "T" in value or " " in value else date.fromisoformat(value).isoformat()
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"  # a message names the value, never floods
        raise InputError(f"{where}: {shown!r} is not an ISO 8601 date; write it as YYYY-MM-DD "
                         "(or YYYY-MM-DDTHH:MM)") from None


def _page_date(value: str) -> str:
    """A date a web page states, if it is a valid ISO date (a page's own metadata is no input error)."""
    try:
        return iso_date(value, "")
    except InputError:
        return ""


def document_too_long(where: str, measured: str, config: IngestConfig) -> InputError:
    """The error for a document over ``ingest.max_chars_per_document`` (``measured``: its length)."""
    return InputError(f"{where}: {measured} is over ingest.max_chars_per_document={config.max_chars_per_document:,} "
                      "characters; raise it with --set ingest.max_chars_per_document=N if this file really is one article")


def make_document(doc_id: str, raw_text: str, title: str, source: str,
                  config: IngestConfig, outlet: str = "", date: str = "") -> Document:
    """Clean one article and check it against the ingest limits; ``outlet`` is a name the record
    gives, else one is found (``ingest/outlet.py``)."""
    html = looks_like_html(raw_text)
    # A page's markup is held to the page limit (ingest.max_url_bytes), its article to the article
    # limit: a news page of 5 paragraphs and 1.5 MB of inline script is one article (redteam W6).
    if len(raw_text) > (max(config.max_chars_per_document, config.max_url_bytes) if html
                        else config.max_chars_per_document):
        raise document_too_long(source, f"{len(raw_text):,} characters", config)
    site, page_date = "", ""
    if html:
        page = read_page(raw_text)
        raw_text, title, site, page_date = page.text, title or page.title, page.site_name, page.date
        if len(raw_text) > config.max_chars_per_document:
            raise document_too_long(source, f"its article's {len(raw_text):,} characters", config)
    cleaned = clean_text(raw_text, strip_boilerplate=config.strip_boilerplate,
                         title_from_first_line=config.title_from_first_line and not title)
    name = outlet_name(printable(outlet), printable(site), cleaned.removed_lines, cleaned.text, doc_id)
    published = iso_date(date or cleaned.date, f"{source}: date" if date else f"{source}: the Date: line") \
        or _page_date(page_date)
    return Document(doc_id=doc_id, text=cleaned.text, title=printable(title).strip() or cleaned.title,
                    source=source, removed_lines=cleaned.removed_lines, outlet=name, date=published)


def finish_cluster(cluster_id: str, documents: list[Document], references: tuple[str, ...],
                   warnings: list[str], config: IngestConfig, where: str) -> Cluster:
    """Drop documents too short to use, enforce limits, and build the Cluster."""
    usable = []
    for doc in documents:
        if word_count(doc.text) < config.min_words:
            warnings.append(f"{doc.source}: skipped, fewer than {config.min_words} words of "
                            "story text after cleaning")
        else:
            usable.append(doc)
    if not usable:
        detail = "; ".join(warnings) if warnings else "no documents given"
        raise InputError(f"{where}: no usable documents ({detail})")
    if len(usable) > config.max_documents:
        raise InputError(f"{where}: {len(usable)} documents is over ingest.max_documents="
                         f"{config.max_documents}; raise it with --set ingest.max_documents=N")
    if (characters := sum(len(doc.text) for doc in usable)) > config.max_chars_per_cluster:
        raise InputError(f"{where}: {characters:,} characters in all is over ingest.max_chars_per_cluster="
                         f"{config.max_chars_per_cluster:,}; raise it with --set ingest.max_chars_per_cluster=N")
    return Cluster(cluster_id=cluster_id, documents=tuple(usable), references=references,
                   warnings=tuple(warnings))


def _as_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        title = value.get("title") or ""
        text = value.get("text") or ""
        if not isinstance(title, str) or not isinstance(text, str):
            raise InputError(f"{where}: 'title' and 'text' must be strings")
        return f"{title}\n{text}".strip() if title else text
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a string, got {type(value).__name__}")
    return value


def valid_id(value: object) -> bool:
    """Whether a record's id value can name a cluster: a string or a number (or none at all)."""
    return value is None or isinstance(value, str) or (isinstance(value, (int, float)) and not isinstance(value, bool))


def record_id(record: object, fallback_id: str, config: IngestConfig) -> str:
    """A record's id (``ingest.id_field``), printable, or ``fallback_id`` when it has none."""
    value = record.get(config.id_field) if isinstance(record, dict) else None
    # a list or object as id is an error of its record (cluster_from_record), reported under the fallback
    return printable(str(value)) if value not in (None, "") and valid_id(value) else fallback_id


def cluster_from_record(record: dict[str, Any], fallback_id: str, where: str,
                        config: IngestConfig) -> Cluster:
    """Build a cluster from one record: NeuS-style list of documents or Multi-News string."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    cluster_id = record_id(record, fallback_id, config)
    if not valid_id(record.get(config.id_field)):
        raise InputError(f"{where}: field {config.id_field!r} must be a string or a number, not "
                         f"{type(record[config.id_field]).__name__} (set ingest.id_field if your ids are elsewhere)")
    if config.documents_field not in record:
        raise InputError(f"{where}: missing field {config.documents_field!r} "
                         f"(set ingest.documents_field if your data names it differently)")
    raw_docs = record[config.documents_field]
    if isinstance(raw_docs, str):
        raw_docs = [d for d in raw_docs.split(config.document_separator) if d.strip()]
    if not isinstance(raw_docs, list):
        raise InputError(f"{where}: field {config.documents_field!r} must be a list of documents "
                         f"or a string joined by {config.document_separator!r}")
    documents = []
    for position, raw in enumerate(raw_docs):
        doc_where = f"{where}: {config.documents_field}[{position}]"
        outlet, date = "", ""
        if isinstance(raw, str):
            text, title = raw, ""
        elif isinstance(raw, dict):
            text = raw.get(config.text_field)
            title = raw.get(config.title_field) or ""
            if text is None:
                text = ""
            if not isinstance(text, str) or not isinstance(title, str):
                raise InputError(f"{doc_where}: {config.text_field!r} and {config.title_field!r} "
                                 "must be strings")
            # the outlet's name, where the record gives one (a string; anything else is ignored)
            outlet = next((raw[k] for k in ("outlet", "source") if isinstance(raw.get(k), str) and raw[k].strip()), "")
            if raw.get("date") is not None and not isinstance(raw["date"], str):
                raise InputError(f"{doc_where}: 'date' must be a string such as \"2024-06-19\"")
            date = raw.get("date") or ""
        else:
            raise InputError(f"{doc_where}: expected an object with {config.text_field!r} "
                             f"or a string, got {type(raw).__name__}")
        # A title-only document still says something; keep its title as its text.
        body = text if text.strip() else title
        documents.append(make_document(f"d{position}", body, title, doc_where, config, outlet, date))
    reference = record.get(config.reference_field)
    if reference is None and "summary" in record and config.reference_field == "reference":
        reference = record["summary"]  # Multi-News and most summarization datasets
    field_name = config.reference_field
    # several references (DUC/TAC) come as a list; each is a string or a {title, text} object
    texts = ([_as_text(r, f"{where}: {field_name}[{k}]") for k, r in enumerate(reference)]
             if isinstance(reference, list) else [_as_text(reference, f"{where}: {field_name}")])
    return finish_cluster(cluster_id, documents, tuple(t for t in texts if t), [], config, where)
