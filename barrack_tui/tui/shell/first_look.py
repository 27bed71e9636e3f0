"""The first look as the Regions screen and the header read the store: the same names, the same cost rule."""

from __future__ import annotations

from dataclasses import dataclass, fields

from barrack_tui.api.first_look import FirstLook
from barrack_tui.rules.pricing import CostBreakdown, cost_breakdown


@dataclass(frozen=True)
class ShownFirstLook(FirstLook):
    @classmethod
    def of(cls, look: FirstLook) -> ShownFirstLook:
        return cls(**{field.name: getattr(look, field.name) for field in fields(look)})

    def costs(self) -> CostBreakdown:
        """What the store's `costs()` gives once it holds these items: the one cost rule (rules.pricing)."""
        return cost_breakdown(self.instances.values(), self.volumes.values(), self.snapshots.values(), self.currency)

    def storage_known(self) -> bool:
        return True  # volumes and snapshots are both read, or there is no first look
