"""Splits a streamed Markdown answer between the live Markdown widget and the code fence being written.

Textual's `Markdown.append` re-parses the document's last block on every
call and rebuilds its widget; inside a code fence that block is the whole
growing fence, re-highlighted each time (a 150-line fence costs well over
the 50 ms a frame may take). So an open fence is held back here: its lines
are shown by a cheap line-by-line preview, and the Markdown widget receives
the fence once, when it closes (or when the stream ends). Prose goes to the
Markdown widget as it arrives, except a partial line that might still turn
into a fence opener. No Textual here: this is plain text bookkeeping.
"""

from __future__ import annotations

import re

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def _might_open_fence(partial: str) -> bool:
    """A partial line that could still become ``` or ~~~ at the start of a line."""
    stripped = partial.lstrip(" ")
    return len(partial) - len(stripped) <= 3 and (not stripped or stripped[0] in "`~")


class ReplyBuffer:
    """Text received so far, and what each part of the live reply should show."""

    def __init__(self) -> None:
        self.text = ""
        self._line = ""  # the incomplete last line
        self._line_sent = 0  # how much of the incomplete line the Markdown widget already has
        self._prose: list[str] = []
        self.fence_opening: str | None = None  # the opening line while a fence is open
        self._fence_marker = ""
        self.fence_language = ""
        self.fence_lines: list[str] = []
        self.fences_closed = 0  # tells a preview that the fence it shows has closed

    @property
    def in_fence(self) -> bool:
        return self.fence_opening is not None

    @property
    def partial_line(self) -> str:
        return self._line

    def add(self, delta: str) -> None:
        self.text += delta
        *complete, self._line = (self._line + delta).split("\n")
        for line in complete:
            self._complete_line(line)

    def _complete_line(self, line: str) -> None:
        """Route one whole line: prose, a fence opening, a code line, or a fence closing."""
        unsent = line[self._line_sent :]
        self._line_sent = 0
        if self.fence_opening is None:
            match = _FENCE_OPEN.match(line)
            # A backtick fence's info string may not contain a backtick (CommonMark).
            if match and unsent == line and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                self.fence_opening = line
                self._fence_marker = match.group(1)
                words = match.group(2).split()
                self.fence_language = words[0] if words else ""
                self.fence_lines = []
                return
            self._prose.append(unsent + "\n")
            return
        stripped = line.strip()
        marker = self._fence_marker
        closes = (
            len(line) - len(line.lstrip(" ")) <= 3
            and len(stripped) >= len(marker)
            and set(stripped) == {marker[0]}
        )
        if closes:
            self._prose.append("\n".join([self.fence_opening, *self.fence_lines, line]) + "\n")
            self.fence_opening = None
            self.fence_lines = []
            self.fences_closed += 1
            return
        self.fence_lines.append(line)

    def take_markdown(self) -> str:
        """What the Markdown widget should append now (possibly empty)."""
        out = "".join(self._prose)
        self._prose.clear()
        if self.fence_opening is None and self._line and not _might_open_fence(self._line):
            out += self._line[self._line_sent :]
            self._line_sent = len(self._line)
        return out

    def take_rest(self) -> str:
        """At the end of the stream: everything the Markdown widget has not had, an unclosed fence included."""
        out = self.take_markdown()
        if self.fence_opening is not None:
            lines = [self.fence_opening, *self.fence_lines]
            if self._line:
                lines.append(self._line)
            out += "\n".join(lines)
        elif self._line[self._line_sent :]:
            out += self._line[self._line_sent :]
        if self.fence_opening is not None:
            self.fences_closed += 1
        self.fence_opening = None
        self.fence_lines = []
        self._line_sent = len(self._line)
        return out
