"""Telegram ``MarkdownV2`` and legacy ``Markdown`` parsers (modelled on tdlib's)."""

from __future__ import annotations

from .bot_api_html import ParsedText, entity_error, utf16_len
from .bot_api_models import JsonDict

_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_V2_OPENERS = {"*": "bold", "~": "strikethrough", "[": "text_link"}


class _Builder:
    def __init__(self, source: str) -> None:
        self.src = source
        self.out: list[str] = []
        self.pos16 = 0
        self.entities: list[JsonDict] = []

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.pos16 += utf16_len(chunk)

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8"))

    def add(self, kind: str, start16: int, **extra: str) -> None:
        if self.pos16 > start16:
            self.entities.append(
                {"offset": start16, "length": self.pos16 - start16, "type": kind, **extra}
            )

    def result(self) -> ParsedText:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)


def _closes(kind: str, src: str, i: int) -> bool:
    char, nxt = src[i], src[i + 1 : i + 2]
    return {
        "bold": char == "*",
        "italic": char == "_" and nxt != "_",
        "underline": src.startswith("__", i),
        "strikethrough": char == "~",
        "spoiler": src.startswith("||", i),
        "text_link": char == "]",
        "custom_emoji": char == "]",
    }.get(kind, False)


def _read_until(src: str, i: int, closing: str, builder: _Builder) -> int:
    """Read a code/pre body or a URL: only '\\' escapes and ``closing`` are special."""
    while i < len(src) and not src.startswith(closing, i):
        if src[i] == "\\" and i + 1 < len(src):
            i += 1
        builder.emit(src[i])
        i += 1
    return i


def parse_markdown_v2(text: str) -> ParsedText:
    b = _Builder(text)
    stack: list[tuple[str, int, int]] = []  # (kind, start16, source index)
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and 0 < ord(text[i + 1]) <= 126:
            b.emit(text[i + 1])
            i += 2
            continue
        if char not in _V2_RESERVED:
            b.emit(char)
            i += 1
            continue
        if stack and _closes(stack[-1][0], text, i):
            kind, start16, _ = stack.pop()
            i += 2 if kind in ("underline", "spoiler") else 1
            if kind in ("text_link", "custom_emoji"):
                url = ""
                if text.startswith("(", i):
                    sink = _Builder(text)
                    end = _read_until(text, i + 1, ")", sink)
                    if end >= len(text):
                        raise entity_error(
                            "Can't find end of a URL at byte offset " + str(b.byte_offset(i))
                        )
                    url, i = "".join(sink.out), end + 1
                key = "url" if kind == "text_link" else "custom_emoji_id"
                if kind == "custom_emoji":
                    url = url.removeprefix("tg://emoji?id=")
                if url:
                    b.add(kind, start16, **{key: url})
            else:
                b.add(kind, start16)
            continue
        if char == "`":
            pre = text.startswith("```", i)
            start16, begin = b.pos16, i
            i += 3 if pre else 1
            language = ""
            if pre:
                newline = text.find("\n", i)
                if newline != -1 and text.find("```", i) > newline:
                    language, i = text[i:newline].strip(), newline + 1
            i = _read_until(text, i, "```" if pre else "`", b)
            if i >= len(text):
                kind = "Pre" if pre else "Code"
                raise entity_error(
                    f"Can't find end of {kind} entity at byte offset {b.byte_offset(begin)}"
                )
            i += 3 if pre else 1
            extra = {"language": language} if language else {}
            b.add("pre" if pre else "code", start16, **extra)
            continue
        if char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1  # blockquote marker: the quote itself is not tracked as an entity here
            continue
        if char == "_":
            kind = "underline" if text.startswith("__", i) else "italic"
        elif char == "|" and text.startswith("||", i):
            kind = "spoiler"
        elif char == "!" and text.startswith("![", i):
            kind = "custom_emoji"
        elif char in _V2_OPENERS:
            kind = _V2_OPENERS[char]
        else:
            raise entity_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        stack.append((kind, b.pos16, i))
        i += 2 if kind in ("underline", "spoiler", "custom_emoji") else 1
    if stack:
        kind, _, index = stack[-1]
        name = kind.replace("_", " ").title().replace(" ", "")
        raise entity_error(f"Can't find end of {name} entity at byte offset {b.byte_offset(index)}")
    return b.result()


def parse_markdown(text: str) -> ParsedText:
    """Legacy ``Markdown``: *bold* _italic_ `code` ```pre``` [text](url)."""
    b = _Builder(text)
    i = 0
    kinds = {"*": "bold", "_": "italic", "`": "code", "[": "text_link"}
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("_", "*", "`", "["):
            b.emit(text[i + 1])
            i += 2
            continue
        if char not in kinds:
            b.emit(char)
            i += 1
            continue
        begin, start16 = i, b.pos16
        pre = text.startswith("```", i)
        closing = "```" if pre else ("]" if char == "[" else char)
        i += 3 if pre else 1
        end = text.find(closing, i)
        if end == -1:
            raise entity_error(
                f"Can't find end of the entity starting at byte offset {b.byte_offset(begin)}"
            )
        b.emit(text[i:end])
        i = end + len(closing)
        if char == "[":
            url = ""
            if text.startswith("(", i):
                close = text.find(")", i)
                if close == -1:
                    raise entity_error(
                        "Can't find end of the entity starting at byte offset "
                        f"{b.byte_offset(begin)}"
                    )
                url, i = text[i + 1 : close], close + 1
            if url:
                b.add("text_link", start16, url=url)
            continue
        b.add("pre" if pre else kinds[char], start16)
    return b.result()
