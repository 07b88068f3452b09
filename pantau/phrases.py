"""English messages made from templates, said in another language afterwards.

Some messages are kept as English text (a set-aside bill row's reason in the store, an error's text): a
:class:`Phrases` knows the templates they are made from, so it finds the template and its values again and
translates the template (the catalogue's message id) with those values. Text no template makes is looked up
whole in the catalogue, and shown as it is when the catalogue does not know it either.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .i18n import translate

_FIELD = re.compile(r"\{(\w+)\}")


class Phrases:
    """The templates of one subject's messages; ``values`` may say a matched value too (e.g. a row's place)."""

    def __init__(self, *templates: str, values: dict[str, Callable[[str, str], str]] | None = None) -> None:
        self.templates = templates
        self.values = values or {}
        self._patterns = [(template, re.compile(_pattern(template), re.DOTALL)) for template in templates]

    def say(self, text: str, lang: str) -> str:
        """`text` in `lang`: its template translated with the values it was made with."""
        for template, pattern in self._patterns:
            found = pattern.fullmatch(text)
            if found:
                values = {name: self.values[name](value, lang) if name in self.values else value
                          for name, value in found.groupdict().items()}
                return translate(template, lang, **values)
        return translate(text, lang)


def _pattern(template: str) -> str:
    parts, at = [], 0
    for field in _FIELD.finditer(template):
        parts += [re.escape(template[at:field.start()]), f"(?P<{field.group(1)}>.+?)"]
        at = field.end()
    return "".join(parts) + re.escape(template[at:])
