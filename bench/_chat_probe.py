"""Run by bench/chat.py in a fresh interpreter; prints one measurement line.

open N [naive]: with a chat history holding one N-message conversation, the
    seconds from switching to the chat screen (key 7) to the first frame that
    shows that conversation's last message. `naive` mounts every message
    (what the screen would cost without loading the newest first).
lag MODE [LINES]: event-loop lag while a reply streams a 150-line code block at 60
    tokens/s through the chat screen (`stream`), the same with the fence
    throttle off (`unthrottled`), or the idle chat screen for the same time
    (`idle`). Prints the p99 and the maximum lag in seconds.

Both run the real app headless at 120x40 against the in-process simulator;
headless Textual still composes and renders every frame (it only skips the
terminal write), so the costs measured are the app's.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKENS_PER_SECOND = 60
CODE_LINES = 150
_PIECE = re.compile(r"\S+\s*|\s+")


def _answer(n: int) -> str:
    """A realistic assistant answer: a heading, prose, a list, and every third one a code block."""
    text = [f"## Answer {n}", "", f"Your fleet costs **{n % 17 + 1}.42 USD/h** right now. In detail:", ""]
    text += [f"- instance-{n}-{k}: ACTIVE, 2x H100, `203.0.113.{k}`, 5.38 USD/h" for k in range(6)]
    text += ["", "Hibernate the SHUTOFF ones to save money; stopped GPUs are still billed at the full rate."]
    if n % 3 == 0:
        text += ["", "```python", *(f"cost_{k} = hourly[{k}] * hours  # line {k}" for k in range(12)), "```"]
    return "\n".join(text)


def _fill_history(messages: int) -> None:
    from barrack_tui.chat.history import ChatHistory

    with ChatHistory() as history:
        conversation = history.create_conversation(model="barrack-assist", title="A long conversation")
        for n in range(messages // 2):
            history.add_user_message(conversation.id, f"question {n}: what am I paying for, and why?")
            reply = history.start_reply(conversation.id, "barrack-assist")
            history.finish_reply(reply.id, _answer(n), prompt_tokens=40 + n, completion_tokens=180,
                                 cost=Decimal("0.000580"), currency="USD")


def _harness():
    from tests.harness import make_harness

    return make_harness(initial_mode="regions")


async def probe_open(messages: int, naive: bool) -> tuple[float, float]:
    _fill_history(messages)
    if naive:
        import barrack_tui.tui.areas.chat.screen as chat_screen

        chat_screen.FIRST_BATCH = messages
    h = _harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app = h.app
        shown = asyncio.Event()
        original_display = app._display

        def display(screen, renderable) -> None:
            original_display(screen, renderable)
            transcript = screen.query("#chat-transcript") if type(screen).__name__ == "ChatScreen" else []
            views = transcript.first().message_views if transcript else []
            if renderable is not None and views and views[-1] in screen._compositor.visible_widgets:
                shown.set()

        app._display = display  # type: ignore[method-assign]
        started, cpu_started = time.perf_counter(), time.process_time()
        await app.switch_mode("chat")
        await asyncio.wait_for(shown.wait(), 60)
        return time.perf_counter() - started, time.process_time() - cpu_started


class ScriptedStream:
    """Stands in for the client's ChatStream: the answer's pieces at a steady token rate."""

    def __init__(self, text: str, rate: float) -> None:
        self._pieces = _PIECE.findall(text)
        self._rate = rate
        self._parts: list[str] = []
        self.usage = None
        self.model = "barrack-assist"
        self.finish_reason = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    def __aiter__(self):
        return self._run()

    async def _run(self):
        loop = asyncio.get_running_loop()
        start = loop.time()
        for index, piece in enumerate(self._pieces):
            # Paced against the start, so a slow frame does not slow the stream down (as a network would not).
            await asyncio.sleep(max(0.0, start + index / self._rate - loop.time()))
            self._parts.append(piece)
            yield piece
        self.finish_reason = "stop"


def code_answer(lines: int = CODE_LINES) -> str:
    body = [f"    total += rate[{k}] * hours[{k}]  # instance {k}: bill it" for k in range(lines - 2)]
    code = ["```python", "def fleet_cost(rate, hours):", "    total = 0.0", *body[:-1], "    return total", "```"]
    return "Here is the script:\n\n" + "\n".join(code) + "\n\nRun it with `python cost.py`."


async def probe_lag(mode: str, lines: int) -> tuple[float, float, float]:
    from barrack_tui.tui.areas.chat import message as chat_message
    answer = code_answer(lines)
    duration = len(_PIECE.findall(answer)) / TOKENS_PER_SECOND
    if mode == "unthrottled":
        # Every delta straight into the Markdown widget: what the screen would cost without the fence preview.
        from barrack_tui.tui.areas.chat import reply_buffer
        class Unbuffered(reply_buffer.ReplyBuffer):
            def add(self, delta: str) -> list[str]:
                self.text += delta
                self._prose.append(delta)
                return []

        chat_message.ReplyBuffer = Unbuffered  # type: ignore[misc]
        original_init = chat_message.LiveReply.__init__

        def every_delta(self, message, *, on_flush, interval=0.05):
            original_init(self, message, on_flush=on_flush, interval=0.001)

        chat_message.LiveReply.__init__ = every_delta  # type: ignore[method-assign]
    h = _harness()
    async with h.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await h.app.switch_mode("chat")
        screen = h.app.screen
        for _ in range(200):
            if screen.models:
                break
            await pilot.pause(0.01)
        client = h.app.client
        client.stream_chat_completion = lambda request: ScriptedStream(answer, TOKENS_PER_SECOND)

        lags: list[float] = []
        stop = asyncio.Event()

        async def sample() -> None:
            loop = asyncio.get_running_loop()
            while not stop.is_set():
                before = loop.time()
                await asyncio.sleep(0.005)
                lags.append(loop.time() - before - 0.005)

        sampler = asyncio.create_task(sample())
        started = time.perf_counter()
        if mode == "idle":
            await asyncio.sleep(duration)
        else:
            # AI Chat opens on its conversation list; the question box is one key (i) away.
            screen.chat_input.focus()
            await pilot.pause()
            screen.chat_input.insert("write me a cost script")
            await pilot.press("enter")
            deadline = time.perf_counter() + 120
            while screen.reply_worker is not None or not _answered(screen):
                if time.perf_counter() > deadline:
                    raise RuntimeError("the scripted reply never finished")
                await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        stop.set()
        await sampler
    from common import p99

    return p99(lags), max(lags), elapsed


def _answered(screen) -> bool:
    views = screen.transcript.message_views
    return bool(views) and views[-1].message.role == "assistant"


def main(argv: list[str]) -> None:
    os.environ["BARRACK_DATA_DIR"] = tempfile.mkdtemp(prefix="barrack-bench-chat-")
    kind = argv[0]
    if kind == "open":
        seconds, cpu = asyncio.run(probe_open(int(argv[1]), naive=len(argv) > 2 and argv[2] == "naive"))
        print(f"OPEN {seconds:.6f} {cpu:.6f}", flush=True)
    else:
        lines = int(argv[2]) if len(argv) > 2 else CODE_LINES
        lag_p99, lag_max, elapsed = asyncio.run(probe_lag(argv[1], lines))
        print(f"LAG {lag_p99:.6f} {lag_max:.6f} {elapsed:.3f}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(sys.argv[1:])
