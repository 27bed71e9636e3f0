"""The deploy wizard's steps, one module each; `STEP_CLASSES` in wizard order."""

from __future__ import annotations

from barrack_tui.tui.screens.deploy_steps.advanced import AdvancedStep
from barrack_tui.tui.screens.deploy_steps.base import WizardStep
from barrack_tui.tui.screens.deploy_steps.boot import BootStep
from barrack_tui.tui.screens.deploy_steps.gpu import GpuStep
from barrack_tui.tui.screens.deploy_steps.keys import KeysStep
from barrack_tui.tui.screens.deploy_steps.region import RegionStep
from barrack_tui.tui.screens.deploy_steps.review import ReviewStep

STEP_CLASSES: tuple[type[WizardStep], ...] = (RegionStep, GpuStep, BootStep, KeysStep, AdvancedStep, ReviewStep)

__all__ = ["STEP_CLASSES", "WizardStep", "RegionStep", "GpuStep", "BootStep", "KeysStep", "AdvancedStep", "ReviewStep"]
