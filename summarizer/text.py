"""Word-level helpers shared by retrieval, the guard and neutrality: Unicode-aware tokens,
stems, content words, and the checkable terms (entities, numbers, dates, negations)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

# The one word tokenizer (ROUGE alone keeps rouge-score's, which defines that metric). \w reads
# any script ("Zürich"); inner hyphens, apostrophes and dots join ("Ho-jin", "don’t", "U.S"); a
# number keeps its separators ("188,000": split, it would read as 188 and 0).
WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\w+(?:[-'.’]\w+)*", re.UNICODE)
_WORD_OR_MARK = re.compile(rf"{WORD.pattern}|[^\w\s]", re.UNICODE)  # punctuation marks as tokens too
_NUMBER = re.compile(r"^\d[\d,.]*$")

STOPWORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been
before being below between both but by can could did do does doing down during each either
else even ever every few for from further had has have having he her here hers herself him
himself his how however i if in into is it its itself just least less let like many may me
might more most much must my myself neither no nor not now of off on once only or other our
ours ourselves out over own per rather same several shall she should since so some such than
that the their theirs them themselves then there these they this those though through thus
to too under until up upon us very via was we were what when where whether which while who
whom whose why will with within without would yet you your yours yourself
said says say saying told according also mr mrs ms dr new one two
""".split())

NEGATIONS = frozenset({"not", "no", "never", "n't", "nor", "neither", "none", "nobody", "nothing",
                       "without", "cannot", "denied", "denies", "deny", "refused", "refuses"})
_MONTHS = ("january february march april may june july august september october november "
           "december jan feb mar apr jun jul aug sep sept oct nov dec").split()
DATE_WORDS = frozenset(_MONTHS + "monday tuesday wednesday thursday friday saturday sunday "
                       "yesterday today tomorrow".split())
_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
          "fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALES = {"hundred": "100", "thousand": "1000", "million": "million", "billion": "billion",
           "trillion": "trillion", "dozen": "12", "first": "1st", "second": "2nd", "third": "3rd"}


_CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
    "\r": None,
})
# C0 and C1 control characters (terminal escapes start with \x1b, or the 8-bit CSI U+009B), bidi
# overrides, isolates and marks, which reorder what a terminal or a page shows ("txt.exe" shown as
# "exe.txt"), and lone surrogates (a JSON escape such as "\ud800": no tokenizer or UTF-8 file takes them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]")


_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c]+")


def printable(text: str) -> str:
    """``text`` on one line, without control characters, bidi overrides or invisible zero-width
    characters: safe in a terminal, a file name, an id or a headline."""
    return _UNPRINTABLE.sub("", _LINE_BREAKS.sub(" ", text))


def normalize(text: str) -> str:
    """Unicode NFC, straight quotes, plain hyphens and spaces, no control characters."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", text)).translate(_CHAR_MAP)


# Scripts written without spaces between words: Han, kana, Hangul syllables.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def word_count(text: str) -> int:
    """Words in ``text``: space-separated tokens, and for Chinese, Japanese or Korean runs
    without spaces about one word per two characters (their average word length)."""
    unspaced = _UNSPACED.findall(text)
    if not unspaced:
        return len(text.split())
    rest = _UNSPACED.sub(" ", text)
    return len(rest.split()) + sum((len(run) + 1) // 2 for run in unspaced)


def words(text: str) -> list[str]:
    """Word tokens in reading order, case kept."""
    return WORD.findall(text)


def words_and_marks(text: str) -> list[str]:
    """``words`` with every punctuation mark between them as a token of its own."""
    return _WORD_OR_MARK.findall(text)


@lru_cache(maxsize=1)
def _stemmer():
    # Snowball's English (Porter2) stemmer: importing NLTK's Porter stemmer pulls in scipy.stats
    # (0.8 s of every run's start-up), and Porter2 conflates better ("added" -> "add", not "ad").
    # ROUGE keeps NLTK's Porter stemmer (summarizer/evaluation/rouge.py) to match rouge_score.
    import snowballstemmer
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The word's stem, lower-cased."""
    return _stemmer().stemWord(word.lower())


def is_question(text: str) -> bool:
    """Ends with a question mark, before any closing quotes or appended periods ('Why now?".')."""
    return text.rstrip().rstrip(".\"'”’").endswith("?")


def _split_token(token: str) -> list[str]:
    """'Jong-un' → ['jong', 'un']; "Putin's" and "Putin’s" → ['putin']; 'U.S.' → ['us']; '188,000' → ['188000'];
    '1.5' → ['1.5'] (not '15': "$15 billion" is no form of "$1.5 billion")."""
    token = token.lower().replace("’", "'").removesuffix("'s")
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)*", token):
        return [token.replace(",", "")]
    if re.fullmatch(r"(?:\w\.)+\w?", token):
        return [token.replace(".", "")]
    return [p for p in re.split(r"[-'.]", token) if p]


def content_words(text: str) -> list[str]:
    """Lower-cased non-stopword tokens (hyphenated words split)."""
    return [p for token in words(text) for p in _split_token(token) if p not in STOPWORDS]


def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words; a sentence's are cached (retrieval, the guard and the comparison
    each ask for them), a whole article's not (a server kept every article it saw as a key)."""
    return _sentence_stems(text) if len(text) <= 2000 else _sentence_stems.__wrapped__(text)


@lru_cache(maxsize=20_000)
def _sentence_stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in content_words(text))


def normalize_number(token: str) -> str | None:
    """A canonical form for numeric tokens so that 'twenty-four' matches '24'."""
    lowered = token.lower()
    if _NUMBER.match(lowered):
        return lowered.rstrip(".").replace(",", "")
    if lowered in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[lowered])
    if lowered in _SCALES:
        return _SCALES[lowered]
    parts = lowered.split("-")
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]])
    return None


def term_forms(text: str) -> set[str]:
    """Every matchable form of the words in ``text``: lower-cased parts, stems and numbers."""
    forms: set[str] = set()
    for token in words(text):
        number = normalize_number(token)
        if number:
            forms.add(number)
        parts = _split_token(token)
        forms.update(parts)
        forms.update(stem(p) for p in parts)
        for part in parts:
            number = normalize_number(part)
            if number:
                forms.add(number)
    if "n't" in text or "n’t" in text:
        forms.add("n't")
    return forms


def checkable_terms(text: str) -> list[tuple[str, str]]:
    """Terms that must be found in the supporting sources: (kind, surface form).

    Kinds: ``number`` (digits and number words), ``date`` (months, weekdays), ``negation``,
    and ``entity`` (capitalised words that are not sentence-initial stopwords).
    """
    terms: list[tuple[str, str]] = []
    for token in words(text):
        lowered = token.lower()
        if normalize_number(token):
            terms.append(("number", token))
        elif lowered in DATE_WORDS and (lowered != "may" or token[0].isupper()):
            terms.append(("date", token))
        elif lowered in NEGATIONS or lowered.endswith("n't"):
            terms.append(("negation", token))
        elif token[0].isupper() and lowered not in STOPWORDS:
            terms.append(("entity", token))
    return terms


def term_is_supported(kind: str, token: str, forms: set[str]) -> bool:
    if kind == "number":
        return normalize_number(token) in forms or token.lower() in forms
    if kind == "negation":
        return token.lower() in forms or ("n't" in forms and token.lower().endswith("n't")) or bool(
            forms & NEGATIONS)
    parts = _split_token(token)
    return all(p in forms or stem(p) in forms for p in parts)


# Units a number is tied to: "a 2-year debate" is not supported by "7 to 2" and "three years".
_UNITS_OF_MEASURE = frozenset(stem(w) for w in """
year month week day hour minute second decade century
percent per-cent dollar euro pound yen yuan rouble ruble rupee cent
hundred thousand million billion trillion
mile kilometre kilometer km metre meter foot feet inch ton tonne kilogram kg gram acre hectare
vote seat member people person death casualty victim soldier troop officer student worker resident
time round term lane floor storey story
""".split())
_PERCENT = re.compile(r"(\d[\d,.]*)\s*%")


def _count(token: str) -> str | None:
    """A token's value when it is a count ("2", "two", "2.5"), not a scale word ("million")."""
    number = normalize_number(token)
    return number if number and number.replace(".", "").isdigit() else None


def quantities(text: str) -> set[tuple[str, str]]:
    """(number, unit stem) pairs: "2-year" and "two years" → ("2", "year"); "12%" → ("12", "percent")."""
    found: set[tuple[str, str]] = set()
    tokens = words(text)
    for position, token in enumerate(tokens):
        parts = [p for p in re.split(r"-", token) if p]
        if len(parts) == 2 and _count(parts[0]) and stem(parts[1]) in _UNITS_OF_MEASURE:
            found.add((_count(parts[0]), stem(parts[1])))
            continue
        number = _count(token)
        if number and position + 1 < len(tokens):
            unit = stem(tokens[position + 1].split("-")[0])
            if unit in _UNITS_OF_MEASURE:
                found.add((number, unit))
    found.update((m.replace(",", "").rstrip("."), stem("percent")) for m in _PERCENT.findall(text))
    return found


def document_frequency(vocabularies: Iterable[Iterable[str]]) -> Counter[str]:
    """In how many of the documents (one vocabulary each, e.g. ``content_stems`` of its text) each
    term occurs: 1 is one outlet's wording, the count of all documents is wording every outlet shares.
    The one measure behind the comparison's distinctive words, the salience features, the headline
    choice and the single-outlet wording metric."""
    return Counter(term for vocabulary in vocabularies for term in set(vocabulary))


# Openings that point back (issue #15 item 3): pronouns, demonstratives (not "This week"),
# comparisons with a group named before ("Others", "Many more had been too young to vote"),
# connectives, and definite descriptions of something the article introduced before ("The two
# leaders", "The move", "The first").
_LEANS_ON_PREVIOUS = re.compile(
    r"^[\"“'(]?(?:He|She|They|Them|His|Her|Their|It|Its|Such|Both|Another|Others|Many more|"
    r"(?:This|That|These|Those)(?! (?:week|weekend|year|month|morning|afternoon|evening|night|spring|summer|"
    r"fall|autumn|winter|season|time)s?\b)|"
    r"But|And|Or|Also|However|Meanwhile|Still|Yet|So|Then|Instead|Moreover|Furthermore|Nevertheless|"
    r"Nonetheless|Besides|Thus|Therefore|Hence|Likewise|Similarly|Otherwise|Even so|In addition|As a result|"
    r"The (?:first|second|third|former|latter|other|same|two|three|four|five|move|decision|comments?|"
    r"remarks?|statement|announcement|measure|incident|proposal|performance))(?![\w-])")


# "Kim echoed these sentiments, offering …": a demonstrative early in the sentence refers back just
# as an opening one does ("these days" is no reference); so does "since" without its object.
_REFERS_BACK_EARLY = re.compile(r"^(?:\S+\s+){1,6}?(?:these|those)\s+(?!days\b)[a-z]"
                                # "Evidence has since emerged", "Since then …": since what came before
                                r"|^(?:\S+\s+){0,6}?(?:has|have|had) since\b|^Since then\b")


# "it's the manager who gets the stick.": a piece that opens in lower case continues a sentence cut
# before it ("iPhone", "eBay": a name with a capital inside is no piece)
_PIECE = re.compile(r"^[\"'(\[]?[a-z](?![a-z]*[A-Z])")


def leans_on_previous(text: str) -> bool:
    """A sentence whose opening points back at what came before it in its article ("He said", "But
    it has not worked out", "The two leaders met", "Kim echoed these sentiments"), or continues it
    (it opens in lower case): out of that context the reader cannot tell who or what, so it is never
    chosen alone (the first sentence of an article excepted)."""
    text = text.lstrip()
    return bool(_LEANS_ON_PREVIOUS.match(text) or _REFERS_BACK_EARLY.match(text) or _PIECE.match(text))
