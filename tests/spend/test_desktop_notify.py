"""Which escape sequence reaches the desktop for which terminal, through SSH and tmux."""

from __future__ import annotations

from barrack_tui.tui.shell.desktop_notify import (
    BELL,
    OSC9,
    OSC99,
    OSC777,
    TerminalNotifier,
    detect,
    passed_through,
    sequence,
    wrapper,
)


def test_terminals_are_recognised_from_what_they_set_and_what_crosses_ssh():
    assert detect({"TERM_PROGRAM": "iTerm.app"}) == OSC9
    assert detect({"LC_TERMINAL": "iTerm2", "TERM": "xterm-256color"}) == OSC9  # iTerm2 over ssh (SendEnv LC_*)
    assert detect({"TERM": "xterm-kitty"}) == OSC99  # TERM crosses ssh
    assert detect({"TERM_PROGRAM": "WezTerm"}) == OSC777
    assert detect({"TERM": "xterm-ghostty"}) == OSC777
    assert detect({"TERM": "foot"}) == OSC777
    assert detect({"TERM": "xterm-256color"}) == BELL
    assert detect({}) == BELL


def test_sequences_and_their_controls():
    assert sequence(OSC9, "Watch", "my-train is ACTIVE.") == "\x1b]9;Watch: my-train is ACTIVE.\x07"
    assert sequence(OSC777, "Balance; runway", "low") == "\x1b]777;notify;Balance, runway;low\x07"
    assert sequence(OSC99, "Watch", "done") == "\x1b]99;;Watch: done\x1b\\"
    assert sequence(BELL, "Watch", "done") == "\x07"
    # A name with a BEL or ESC in it cannot end the sequence early or start another.
    assert sequence(OSC9, "Watch", "evil\x07\x1b]0;title") == "\x1b]9;Watch: evil  ]0;title\x07"


def test_tmux_and_screen_pass_the_sequence_through():
    assert wrapper({"TMUX": "/tmp/tmux-1000/default,1,0"}) == "tmux"
    assert wrapper({"STY": "1.pts", "TERM": "screen"}) == "screen"
    assert passed_through("\x1b]9;hi\x07", "tmux") == "\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\"
    assert passed_through("\x07", "tmux") == "\x07"


def test_the_notifier_writes_once_per_notice_and_nothing_when_off():
    written: list[str] = []
    TerminalNotifier(written.append, "auto", {"TERM_PROGRAM": "iTerm.app"}).notify("Watch", "up")
    TerminalNotifier(written.append, "off", {"TERM_PROGRAM": "iTerm.app"}).notify("Watch", "up")
    TerminalNotifier(written.append, "osc777", {}).notify("Watch", "up")
    assert written == ["\x1b]9;Watch: up\x07", "\x1b]777;notify;Watch;up\x07"]
