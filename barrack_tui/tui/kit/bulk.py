"""One action on many items: the one confirmation, the run at bounded concurrency, the per-target summary.

An area describes the action as a `BulkPlan`: every marked target, each with
the rules' refusal in the rule's own words when they refuse it, and the
request for one target. `BulkConfirmModal` lists every target, one line each
(those to act on, then those the rules refuse, with why), says what they do
to the bill together, and, once confirmed, runs the plan with `run_bulk`: at
most `BULK_CONCURRENCY` requests in flight, so a hundred marks never become a
hundred simultaneous requests against the server's rate limit, and a progress
bar and count move as each answer arrives. A failed target never stops the
others and never hides their success: the `BulkReport` keeps one outcome per
target, `BulkSummaryModal` shows them grouped (done first), and the activity
log gets the refused targets (what was not sent) and one summary line; the
requests themselves are logged where they are sent.

A destructive plan (delete, detach) is confirmed by typing: the name when it
acts on one target, otherwise the count and the noun ("3 volumes"), the same
phrase the bulk delete of scripts asks for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, ProgressBar, Static

from barrack_tui.activity.entry import ACCEPTED, FAILED, REFUSED
from barrack_tui.api.errors import ApiError, AuthError
from barrack_tui.tui.kit.confirm import ConfirmModal, TextLike
from barrack_tui.tui.kit.marks import Marks
from barrack_tui.tui.kit.modal import BarrackModal

log = logging.getLogger(__name__)

# Requests in flight at once: enough that a long list finishes in a few round trips, few enough to stay
# inside the rate budget the pollers share (a 429 pauses every poller, so a burst would cost the whole UI).
BULK_CONCURRENCY = 4

DONE = "done"
SKIPPED = "refused"
FAILED_RESULT = "failed"


@dataclass(frozen=True)
class BulkTarget:
    """One item of a bulk action. `refusal` holds the rule's words when the rules refuse it ("" when allowed)."""

    id: str
    name: str
    about: str = ""  # what identifies it beside its name ("ACTIVE, NORWAY-1")
    refusal: str = ""


@dataclass(frozen=True)
class Outcome:
    target: BulkTarget
    result: str  # DONE, SKIPPED or FAILED_RESULT
    message: str = ""  # the answer's state, the rule's words, or the error's words
    status: int | None = None
    request_id: str | None = None


@dataclass
class BulkPlan:
    """What a bulk action is, for the confirmation, the runner and the log."""

    verb: str  # the activity log's verb ("stop", "delete")
    label: str  # the button's and title's verb ("Stop")
    kind: str  # one target's noun ("instance")
    plural: str  # the noun for several ("instances")
    targets: Sequence[BulkTarget]
    # The request for one target; what it returns is that target's line in the summary ("STOPPING").
    send: Callable[[BulkTarget], Awaitable[str]]
    destructive: bool = False
    notes: Sequence[TextLike] = ()  # what holds for every target (a warning, the data that is lost)
    cost: str | None = None  # the change to the bill all the targets make together

    @property
    def allowed(self) -> list[BulkTarget]:
        return [target for target in self.targets if not target.refusal]

    @property
    def refused(self) -> list[BulkTarget]:
        return [target for target in self.targets if target.refusal]

    def noun(self, count: int) -> str:
        return f"{count:,} {self.kind if count == 1 else self.plural}"

    def typed_phrase(self) -> str:
        """What a destructive plan asks to be typed: the one target's name, else "3 volumes"."""
        allowed = self.allowed
        return allowed[0].name if len(allowed) == 1 else self.noun(len(allowed))


@dataclass
class BulkReport:
    plan: BulkPlan
    outcomes: list[Outcome] = field(default_factory=list)
    # A refused API key ends the run (every other request would be refused too); the caller hands it to the app.
    auth_error: AuthError | None = None

    def of(self, result: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.result == result]

    @property
    def done(self) -> list[Outcome]:
        return self.of(DONE)

    @property
    def refused(self) -> list[Outcome]:
        return self.of(SKIPPED)

    @property
    def failed(self) -> list[Outcome]:
        return self.of(FAILED_RESULT)

    def counts(self) -> str:
        """"3 done, 1 refused, 1 failed" (a part that is zero is left out, except done)."""
        parts = [f"{len(self.done)} done"]
        if self.refused:
            parts.append(f"{len(self.refused)} refused")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)

    def log_result(self) -> str:
        """The summary line's result in the activity log: failed if any target failed, refused if nothing ran."""
        if self.failed:
            return FAILED
        return ACCEPTED if self.done else REFUSED


async def run_bulk(
    plan: BulkPlan,
    *,
    limit: int = BULK_CONCURRENCY,
    progress: Callable[[BulkReport], None] | None = None,
) -> BulkReport:
    """Send `plan` to every allowed target, at most `limit` at once; one outcome per target, in the plan's order."""
    report = BulkReport(plan)
    by_id: dict[str, Outcome] = {
        target.id: Outcome(target, SKIPPED, target.refusal) for target in plan.refused
    }
    gate = asyncio.Semaphore(max(1, limit))

    async def one(target: BulkTarget) -> None:
        async with gate:
            if report.auth_error is not None:
                outcome = Outcome(target, FAILED_RESULT, "Not sent: the API key was refused.")
            else:
                outcome = await _send_one(plan, target, report)
        by_id[target.id] = outcome
        report.outcomes = [by_id[t.id] for t in plan.targets if t.id in by_id]
        if progress is not None:
            progress(report)

    await asyncio.gather(*(one(target) for target in plan.allowed))
    report.outcomes = [by_id[target.id] for target in plan.targets]
    return report


async def _send_one(plan: BulkPlan, target: BulkTarget, report: BulkReport) -> Outcome:
    try:
        said = await plan.send(target)
    except AuthError as exc:
        report.auth_error = exc
        return Outcome(target, FAILED_RESULT, str(exc), exc.status, exc.request_id)
    except ApiError as exc:
        return Outcome(target, FAILED_RESULT, str(exc), exc.status, exc.request_id)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - one target's bug must not cost the others their outcome
        log.exception("bulk %s of %s", plan.verb, target.id)
        return Outcome(target, FAILED_RESULT, f"{type(exc).__name__}: {exc}")
    return Outcome(target, DONE, said)


def record_report(activity: Any, report: BulkReport) -> None:
    """The refused targets (nothing was sent for them, so nothing else logs them) and one summary line."""
    plan = report.plan
    for outcome in report.refused:
        target = outcome.target
        activity.record(plan.verb, target_kind=plan.kind, target_name=target.name, target_id=target.id,
                        result=REFUSED, message=outcome.message)
    activity.record(f"bulk {plan.verb}", target_kind=plan.kind, target_name=plan.noun(len(plan.targets)),
                    result=report.log_result(), message=report.counts(), cost_effect=plan.cost or "")


def target_line(target: BulkTarget, *, refused: bool) -> Text:
    line = Text("  ⊘ " if refused else "  • ", style="yellow" if refused else "")
    line.append(target.name, style="bold")
    if target.about:
        line.append(f"  {target.about}", style="dim")
    if refused:
        line.append(" — ")
        line.append(target.refusal, style="yellow")
    return line


class BulkConfirmModal(ConfirmModal):
    """The one confirmation of a bulk action; sends it itself and dismisses with the `BulkReport`."""

    DEFAULT_CSS = """
    BulkConfirmModal .bulk-section { height: auto; text-style: bold; }
    BulkConfirmModal .bulk-target { height: auto; }
    BulkConfirmModal #bulk-progress { height: 1; display: none; }
    BulkConfirmModal #bulk-progress.-running { display: block; }
    """

    def __init__(self, plan: BulkPlan) -> None:
        allowed = plan.allowed
        title = Text(f"{plan.label} {plan.noun(len(plan.targets))}")
        if plan.refused:
            title.append(f": {len(allowed):,} to {plan.verb}, {len(plan.refused):,} refused")
        super().__init__(
            title=title,
            resource=plan.typed_phrase(),
            confirm_label=f"{plan.label} {len(allowed):,}" if len(plan.targets) > 1 else plan.label,
            cost=plan.cost,
            lines=(),
            warning=None,
            destructive=plan.destructive and bool(allowed),
            run=self._run,
            modal_id="bulk-confirm",
        )
        self.plan = plan
        self.report: BulkReport | None = None

    def compose_extra(self) -> ComposeResult:
        plan = self.plan
        allowed, refused = plan.allowed, plan.refused
        if allowed:
            yield Static(Text(f"{plan.label} these {plan.noun(len(allowed))}:" if len(allowed) > 1
                              else f"{plan.label} this {plan.kind}:"), classes="bulk-section")
            for target in allowed:
                yield Static(target_line(target, refused=False), classes="bulk-target")
        if refused:
            yield Static(Text(f"Skipped, the rules refuse {plan.noun(len(refused))}:", style="yellow"),
                         classes="bulk-section")
            for target in refused:
                yield Static(target_line(target, refused=True), classes="bulk-target")
        if allowed:
            for note in plan.notes:
                yield Static(note if isinstance(note, Text) else Text(note), classes="confirm-line")

    def on_mount(self) -> None:
        super().on_mount()
        # Under the status line, which counts the answers as they come.
        bar = ProgressBar(total=len(self.plan.allowed) or 1, show_eta=False, id="bulk-progress")
        self.query_one("#confirm-box").mount(bar, after=self.query_one("#confirm-status"))
        if self.destructive:
            self.query_one("#confirm-prompt", Static).update(
                Text.assemble("Type ", (self.resource, "bold"), " to confirm:"))

    def refusal(self) -> str | None:
        if not self.plan.allowed:
            return f"Nothing to {self.plan.verb}: the rules refuse every {self.plan.kind} listed."
        return None

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if busy:
            self._show_progress(BulkReport(self.plan))

    def _show_progress(self, report: BulkReport) -> None:
        total = len(self.plan.allowed)
        finished = len(report.done) + len(report.failed)
        status = Text(f"{self.plan.label}: {finished:,} of {total:,} answered")
        if report.failed:
            status.append(f", {len(report.failed):,} failed", style="red")
        self.query_one("#confirm-status", Static).update(status)
        bar = self.query_one("#bulk-progress", ProgressBar)
        bar.add_class("-running")
        bar.update(progress=finished)

    async def _run(self) -> BulkReport:
        report = await run_bulk(self.plan, progress=self._show_progress)
        record_report(self.barrack.activity, report)
        self.report = report
        return report


def summary_line(outcome: Outcome) -> Text:
    mark, style = {DONE: ("✔", "green"), SKIPPED: ("⊘", "yellow"), FAILED_RESULT: ("✘", "red")}[outcome.result]
    line = Text(f"  {mark} ", style=f"bold {style}")
    line.append(outcome.target.name, style="bold")
    if outcome.message:
        line.append(" — ")
        line.append(outcome.message, style=style if outcome.result != DONE else "")
    return line


class BulkSummaryModal(BarrackModal[None]):
    """Every target's outcome after a bulk run, successes first; Enter or Esc closes it."""

    DEFAULT_CSS = """
    BulkSummaryModal .bulk-section { height: auto; text-style: bold; }
    BulkSummaryModal .bulk-section.-later { margin-top: 1; }
    BulkSummaryModal .bulk-outcome { height: auto; }
    BulkSummaryModal #bulk-summary-body { height: auto; max-height: 60vh; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "close", "Close", show=False, id="bulk_summary.close")]

    SECTIONS = ((DONE, "Done"), (FAILED_RESULT, "Failed"), (SKIPPED, "Skipped, refused by the rules"))

    def __init__(self, report: BulkReport) -> None:
        super().__init__(id="bulk-summary")
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        with Vertical(classes="modal-box", id="bulk-summary-box"):
            yield Static(Text(f"{report.plan.label} {report.plan.noun(len(report.outcomes))}: {report.counts()}"),
                         classes="modal-title", id="bulk-summary-title")
            with VerticalScroll(id="bulk-summary-body"):
                later = ""
                for result, heading in self.SECTIONS:
                    outcomes = report.of(result)
                    if not outcomes:
                        continue
                    yield Static(Text(f"{heading} ({len(outcomes):,})"), classes=f"bulk-section{later}")
                    later = " -later"
                    for outcome in outcomes:
                        yield Static(summary_line(outcome), classes="bulk-outcome")
            with Horizontal(classes="buttons"):
                yield Button("Close", variant="primary", id="bulk-summary-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#bulk-summary-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def ask_bulk(screen: Any, plan: BulkPlan, marks: Marks, after: Callable[[BulkReport], None]) -> None:
    """Open `plan`'s one confirmation from `screen`; once it ran, answer for every target the way each list does.

    What was done is unmarked; what failed or was refused stays marked, so a retry is one key away. `after`
    redraws the list and fetches its kind again; a refused API key then goes to the app like any other.
    """

    def answered(report: BulkReport | None) -> None:
        if report is None:
            return
        marks.discard(outcome.target.id for outcome in report.done)
        screen.notify(f"{plan.label}: {report.counts()}", severity="warning" if report.failed else "information")
        screen.barrack.push_screen(BulkSummaryModal(report))
        if report.auth_error is not None:
            screen.barrack.report_error(report.auth_error)
        after(report)

    screen.barrack.push_screen(BulkConfirmModal(plan), answered)
