"""How the gazetteer compares names: 'Sar-e Pul', 'SAR-E-PUL' and 'Sar e Pūl' are one key."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = str.maketrans("", "", "'’`ʼʻ‘")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-blind key: 'Sar-e Pul', 'SAR-E-PUL', 'Sar e Pūl' agree."""
    return " ".join(_NON_WORD.sub(" ", plain(text).translate(_APOSTROPHES)).casefold().split())


def plain(text: str) -> str:
    """The name without accents, case kept: 'Kandahār' → 'Kandahar'."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
