"""The indefinite article for a word, by its first sound: what a deletion before it needs
("a lavish event" → "an event")."""
from __future__ import annotations

import re

# The article English gives a word by its first sound, not its first letter ("an hour", "a
# university", "an 8-year-old", "an FBI agent", "a NATO summit"). inflect (the library for this)
# takes 1.5 s to import and writes "a 8-year-old"; these rules cover news wording.
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_VOWEL_LETTER_CONSONANT_SOUND = re.compile(r"(?:uni(?![nmd])|us[eu]|ut[ie]|ur[aoie]|uru|eu|ewe|one\b|one-|once|ubiq|ukr|uga|unan)")
_LETTER_NAMES_WITH_VOWEL = set("AEFHILMNORSX")  # "an F", "an M", "an X" …
_SPELLED_OUT = 3  # acronyms of up to three letters are read letter by letter (FBI, MP, UN)


def indefinite_article(word: str) -> str:
    """"an" or "a" for ``word`` as it is read aloud."""
    token = word.strip("\"'“‘(")
    if not token:
        return "a"
    if token[0].isdigit():
        digits = re.match(r"[\d,]*", token).group(0).replace(",", "")
        # eight…, eighteen, eleven (and eleven thousand, eighteen million: 2, 5, 8 … digits)
        return "an" if digits.startswith("8") or (digits[:2] in ("11", "18") and len(digits) % 3 == 2) else "a"
    head = re.match(r"[A-Za-z]+", token)
    letters = head.group(0) if head else ""
    if len(letters) == 1:
        spelled = token[1:2] in ("-", "")  # "X-ray", "F-16", "U-turn"
    else:  # "FBI", "NHS"; "NATO" and "OPEC" are read as words
        spelled = len(letters) <= _SPELLED_OUT or not re.search("[AEIOU]", letters)
    if letters.isupper() and spelled:
        return "an" if letters[0] in _LETTER_NAMES_WITH_VOWEL else "a"
    lower = token.lower()
    if lower.startswith(_SILENT_H):
        return "an"
    if lower[:1] in ("a", "e", "i", "o", "u"):
        return "a" if _VOWEL_LETTER_CONSONANT_SOUND.match(lower) else "an"
    return "a"
