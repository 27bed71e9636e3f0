"""tui/shell/heap.py: the collector is paused only between hold and release, and never left paused."""

from __future__ import annotations

import gc

import pytest

from barrack_tui.tui.shell import heap


@pytest.fixture(autouse=True)
def collector_restored():
    enabled = gc.isenabled()
    yield
    heap.resume()
    if enabled:
        gc.enable()


def test_hold_pauses_and_release_freezes_then_resumes():
    before = gc.get_freeze_count()
    heap.hold()
    assert not gc.isenabled()
    kept = [object() for _ in range(10)] + [[] for _ in range(100)]  # tracked objects alive at release
    heap.release()
    assert gc.isenabled() and gc.get_freeze_count() >= before + 100
    assert kept


def test_resume_restarts_the_collector_without_freezing():
    heap.hold()
    frozen = gc.get_freeze_count()
    heap.resume()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    heap.hold()
    heap.release()
    assert not gc.isenabled()
