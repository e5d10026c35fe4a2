"""One catalogue of error messages, each with a code and what to do about it."""

from __future__ import annotations


class Errors:
    E001 = "{name}: the text is empty or only whitespace; nothing to extract"
    E002 = "{name}: looks like binary data ({detail}), not text; give a text, HTML, JSONL or CSV file"
    E003 = ("{name}: not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); "
            "re-save the file as UTF-8")
    E004 = ("{name}: {size:,} characters, over the limit of {limit:,}; split the article or raise "
            "--max-chars (SITROOM_MAX_CHARS)")
    E005 = "{name}: cannot read: {reason}"
    E006 = "bad date {value!r}{where}: expected YYYY-MM-DD"
    E007 = ("{name}: does not look like English text ({detail}); sitroom reads English news only")
    E008 = "{name}, line {line}: {reason}"
    E009 = "{name}: not a gold file: {reason}"
    E010 = "{name}: {reason}"


class SitroomError(Exception):
    """Base of sitroom's errors; `code` is the catalogue entry (E001 …)."""

    def __init__(self, code: str, **details: object) -> None:
        self.code = code
        self.details = details
        super().__init__(getattr(Errors, code).format(**details))


class InputError(SitroomError):
    """An input (text, file, line, option value) that cannot be used."""


class GoldFileError(SitroomError):
    """A gold file that does not follow the documented format."""
