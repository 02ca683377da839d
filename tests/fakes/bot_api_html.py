"""Strict re-implementation of Telegram's ``parse_mode=HTML`` entity parser.

Produces the plain text and the entity list (UTF-16 offsets) the real Bot API would
return, and raises :class:`ApiError` with Telegram's wording on invalid markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .bot_api_models import ApiError, JsonDict

_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entity_error(detail: str) -> ApiError:
    return ApiError.bad_request(f"can't parse entities: {detail}")


@dataclass
class ParsedText:
    text: str
    entities: list[JsonDict] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    offset: int  # UTF-16 offset in the output text
    attrs: dict[str, str]


class _HtmlParser:
    def __init__(self, source: str, *, strict_ampersand: bool) -> None:
        self.src = source
        self.strict = strict_ampersand
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[JsonDict] = []

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.pos16 += utf16_len(chunk)

    def parse(self) -> ParsedText:
        i, src = 0, self.src
        while i < len(src):
            char = src[i]
            if char == "&":
                decoded, end = decode_entity(src, i)
                if decoded is None:
                    if self.strict:
                        raise entity_error(
                            "Unsupported HTML entity or bare '&' at byte offset "
                            f"{self.byte_offset(i)}"
                        )
                    decoded, end = "&", i + 1
                self.emit(decoded)
                i = end
            elif char == "<":
                i = self.end_tag(i) if src.startswith("</", i) else self.start_tag(i)
            else:  # plain run of text; a bare '>' is tolerated by Telegram
                found = [p for p in (src.find("&", i), src.find("<", i)) if p != -1]
                nxt = min(found, default=len(src))
                self.emit(src[i:nxt])
                i = nxt
        if self.stack:
            raise entity_error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def start_tag(self, begin: int) -> int:
        src, i = self.src, begin + 1
        while i < len(src) and src[i] in _NAME_CHARS:
            i += 1
        name = src[begin + 1 : i].lower()
        if i >= len(src):
            raise entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        if name not in _TAG_ENTITY:
            raise entity_error(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        attrs, i = self.attributes(name, i, begin)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise entity_error('Tag "span" must have class "tg-spoiler"')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise entity_error('Custom emoji entity must contain a valid "emoji-id" attribute')
        self.stack.append(_OpenTag(name, self.pos16, attrs))
        return i

    def attributes(self, tag: str, i: int, begin: int) -> tuple[dict[str, str], int]:
        src = self.src
        attrs: dict[str, str] = {}
        while True:
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src):
                raise entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if src[i] == ">":
                return attrs, i + 1
            start = i
            while i < len(src) and src[i] in _NAME_CHARS:
                i += 1
            attr = src[start:i].lower()
            if not attr:
                raise entity_error(
                    f'Empty attribute name in the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            while i < len(src) and src[i].isspace():
                i += 1
            if i < len(src) and src[i] != "=":
                attrs[attr] = ""  # boolean attribute such as "expandable"
                continue
            i += 1
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src):
                raise entity_error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if src[i] in "\"'":
                end = src.find(src[i], i + 1)
                if end == -1:
                    raise entity_error(
                        f'Unclosed end of attribute value in the tag "{tag}" '
                        f"at byte offset {self.byte_offset(begin)}"
                    )
                raw, i = src[i + 1 : end], end + 1
            else:
                start = i
                while i < len(src) and not src[i].isspace() and src[i] != ">":
                    i += 1
                raw = src[start:i]
            attrs[attr] = unescape_lenient(raw)

    def end_tag(self, begin: int) -> int:
        end = self.src.find(">", begin)
        if end == -1:
            raise entity_error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        name = self.src[begin + 2 : end].strip().lower()
        if not self.stack:
            raise entity_error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack.pop()
        if opened.name != name:
            raise entity_error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.name}>", found "</{name}>"'
            )
        self.add_entity(opened)
        return end + 1

    def add_entity(self, tag: _OpenTag) -> None:
        length = self.pos16 - tag.offset
        kind = _TAG_ENTITY[tag.name]
        entity: JsonDict = {"offset": tag.offset, "length": length, "type": kind}
        language = tag.attrs.get("class", "")
        if tag.name == "code" and language.startswith("language-") and self.stack:
            parent = self.stack[-1]
            if parent.name == "pre":
                parent.attrs["language"] = language.removeprefix("language-")
                return
        if length == 0:
            return
        if kind == "text_link":
            if "href" not in tag.attrs:
                return
            entity["url"] = tag.attrs["href"]
        elif kind == "pre" and tag.attrs.get("language"):
            entity["language"] = tag.attrs["language"]
        elif kind == "custom_emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        elif kind == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        self.entities.append(entity)


def decode_entity(src: str, index: int) -> tuple[str | None, int]:
    """Decode ``&...;`` at ``index``; returns (None, index) when it is not a valid entity."""
    end = src.find(";", index + 1, index + 12)
    if end == -1:
        return None, index
    body = src[index + 1 : end]
    if body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body], end + 1
    if body.startswith("#"):
        digits, base = (body[2:], 16) if body[1:2] in ("x", "X") else (body[1:], 10)
        try:
            code = int(digits, base)
        except ValueError:
            return None, index
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), end + 1
    return None, index


def unescape_lenient(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "&":
            decoded, end = decode_entity(value, i)
            if decoded is not None:
                out.append(decoded)
                i = end
                continue
        out.append(value[i])
        i += 1
    return "".join(out)


def parse_html(text: str, *, strict_ampersand: bool = True) -> ParsedText:
    """Parse Telegram HTML; ``strict_ampersand`` rejects a bare ``&`` (real server keeps it)."""
    return _HtmlParser(text, strict_ampersand=strict_ampersand).parse()
