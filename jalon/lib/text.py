"""Text helpers that know nothing of the database."""

import unicodedata


def fold(text: str) -> str:
    """Return the text in lower case without accents ("Québec" → "quebec", "Œuvre" → "oeuvre")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
