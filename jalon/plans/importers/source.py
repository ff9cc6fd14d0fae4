"""Reading the bytes of an uploaded or named file into text, or refusing it plainly."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .base import ImportFailure

# Control characters never found in a text document; their presence means binary data.
_BINARY_CONTROLS = set(range(0x00, 0x09)) | {0x0B, 0x0E, 0x0F} | set(range(0x10, 0x20)) - {0x1B}


@dataclass
class Source:
    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path) -> Source:
        path = Path(path)
        try:
            if path.stat().st_size > settings.JALON_MAX_IMPORT_BYTES:
                raise ImportFailure(
                    _("%(name)s is larger than %(limit)s MB; no plan is that long.")
                    % {"name": path, "limit": settings.JALON_MAX_IMPORT_BYTES // 1_000_000}
                )
            return cls(name=path.name, data=path.read_bytes())
        except FileNotFoundError as error:
            raise ImportFailure(_("%(name)s: no such file.") % {"name": path}) from error
        except IsADirectoryError as error:
            raise ImportFailure(_("%(name)s is a folder, not a file.") % {"name": path}) from error
        except OSError as error:
            raise ImportFailure(
                _("%(name)s cannot be read: %(reason)s.") % {"name": path, "reason": error.strerror}
            ) from error

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lower().lstrip(".")

    @cached_property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def text(self) -> str:
        """Return the file as text with newlines normalised, or raise ImportFailure."""
        text = decode_text(self.data, self.name)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def fail(self, message: str, line: int | None = None) -> ImportFailure:
        if line is None:
            return ImportFailure(f"{self.name}: {message}")
        return ImportFailure(
            _("%(name)s, line %(line)s: %(message)s") % {"name": self.name, "line": line, "message": message}
        )


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 or Windows-1252, whichever the bytes are."""
    if not data.strip():
        raise ImportFailure(_("%(name)s: the file is empty.") % {"name": name})
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, encoding, name)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, name)
    _refuse_binary(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            raise ImportFailure(
                _("%(name)s: the file ends in the middle of a character; it seems truncated.")
                % {"name": name}
            ) from error
    return _strict(data, "cp1252", name)


def _utf16_without_bom(data: bytes) -> str | None:
    # Text in UTF-16 has a zero byte in every other position for Latin script.
    sample = data[:4000]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _refuse_binary(data: bytes, name: str) -> None:
    sample = data[:8000]
    controls = sum(1 for byte in sample if byte in _BINARY_CONTROLS)
    if b"\x00" in sample or controls > len(sample) * 0.01:
        raise ImportFailure(
            _("%(name)s looks like a binary file, not a plan: it holds bytes that no text has.")
            % {"name": name}
        )


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailure(
            _(
                "%(name)s, line %(line)s: this is neither UTF-8, UTF-16 nor Windows-1252 text "
                "(byte %(byte)s cannot be read)."
            )
            % {"name": name, "line": line, "byte": hex(data[error.start])}
        ) from error
    if any(ord(char) in _BINARY_CONTROLS for char in text[:8000]):
        raise ImportFailure(
            _("%(name)s looks like a binary file, not a plan: it holds bytes that no text has.")
            % {"name": name}
        )
    return text
