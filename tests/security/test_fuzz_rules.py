"""Hypothesis over the rules tests/rules/test_totality.py leaves out: model-taking rules, counts, money, pages.

Each rule answers every input of its domain (any volume, instance, count,
text) with a Verdict, never an exception; beyond totality, the invariants a
user would notice: an enabled button is one its rule allows, a disabled one
says why, a refusal of a key in use names the instance, a page is never
blank while there are cards, money never goes negative.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from barrack_tui.api.models.common import CurrencyEnum, GpuModelEnum, ResourceStatus, TierEnum, VMStatus, VolumeStatus
from barrack_tui.api.numbers import MAX_SIZE_GB
from barrack_tui.api.tolerant import is_unknown
from barrack_tui.rules.firewalls import can_create_firewall, can_delete_firewall, firewall_stats
from barrack_tui.rules.instances import INSTANCE_ACTIONS, can_instance_action, has_credits_for, instance_actions
from barrack_tui.rules.listing import PAGE_SIZE, page_count, page_items, volume_stats
from barrack_tui.rules.pricing import (
    gpu_hourly,
    hibernation_saving_per_hour,
    instance_billing_rate,
    money,
    per_minute,
    storage_hourly,
)
from barrack_tui.rules.resources import can_create_key, can_delete_key, validate_create_image, validate_create_snapshot
from barrack_tui.rules.verdict import Verdict
from barrack_tui.rules.volumes import (
    can_attach,
    can_attach_volume,
    can_clone,
    can_delete_volume,
    can_detach,
    can_make_bootable,
    can_resize,
    card_actions,
    size_for_bootable,
)
from tests.rules.factories import make_firewall, make_instance, make_volume
from tests.security.schema_strategies import hostile_text

FUZZ = settings(max_examples=150, deadline=None, database=None)
anything = st.one_of(st.none(), st.booleans(), st.integers(), hostile_text, st.decimals(allow_nan=True))
# A live server adds values before this client knows them (kept as Unknown): every rule must stay total.
regions = st.sampled_from(["NORWAY-1", "CANADA-1", "US-1", "EU-9"])
currencies = st.sampled_from([c.value for c in CurrencyEnum] + ["JPY"])
known_currencies = st.sampled_from([c.value for c in CurrencyEnum])
amounts = st.decimals(min_value=0, max_value=10**7, places=6)


def is_verdict(value: object) -> bool:
    return isinstance(value, Verdict) and (value.allowed or (value.code.isupper() and value.message != ""))


instances = st.builds(
    make_instance,
    id=st.sampled_from(["inst-1", "inst-2"]),
    name=hostile_text,
    status=st.sampled_from([s.value for s in VMStatus] + ["PAUSED"]),
    region=regions,
    currency=currencies,
    hourly_price=amounts,
    ssh_key_ids=st.lists(st.sampled_from(["key-1", "key-2", "key-3"]), max_size=3),
    server_uuid=st.one_of(st.none(), st.just(""), st.just("srv-1")),
)


@st.composite
def volumes(draw: st.DrawFn):
    status = draw(st.sampled_from([s.value for s in VolumeStatus] + ["resizing"]))
    attached = status == VolumeStatus.ATTACHED
    return make_volume(
        name=draw(hostile_text),
        status=status,
        size_gb=draw(st.integers(min_value=0, max_value=MAX_SIZE_GB)),
        region=draw(regions),
        bootable=draw(st.booleans()),
        tier=draw(st.sampled_from([t.value for t in TierEnum])),
        instance_id=draw(st.sampled_from(["inst-1", "inst-2"])) if attached else None,
        instance_name="trainer" if attached else None,
        instance_status=draw(st.sampled_from([s.value for s in VMStatus])) if attached else None,
    )


@FUZZ
@given(volumes(), st.one_of(st.none(), instances), currencies)
def test_volume_rules_and_card_buttons_agree(volume, instance, currency) -> None:
    verdicts = {
        "detach": can_detach(volume, instance, currency),
        "attach": can_attach(volume, instance, currency),
        "delete": can_delete_volume(volume),
        "clone": can_clone(volume),
        "resize": can_resize(volume),
    }
    assert all(is_verdict(v) for v in verdicts.values())
    assert is_verdict(can_attach_volume(volume))
    actions = card_actions(volume, instance, currency)
    for name, verdict in verdicts.items():
        button = getattr(actions, name)
        if button.visible and button.enabled:
            assert verdict.allowed or name == "attach", f"{name} enabled although its rule refuses"
        if button.visible and not button.enabled:
            assert button.reason, f"{name} disabled without saying why"
    if actions.attach.visible and actions.attach.enabled:
        assert can_attach_volume(volume).allowed  # the instance is chosen afterwards, in the modal
    if actions.detach.enabled:
        assert instance is not None and instance.status == VMStatus.SHUTOFF
    if is_unknown(volume.status):
        buttons = [getattr(actions, name) for name in verdicts]
        assert not any(b.visible and b.enabled for b in buttons), "an action offered on a volume of unknown state"
        assert any(b.visible and "does not know" in b.reason for b in buttons), "no button says why"


@FUZZ
@given(anything, st.one_of(st.none(), st.integers()), st.booleans())
def test_bootable_helpers_total(tier, size, bootable) -> None:
    assert is_verdict(can_make_bootable(tier))
    resized = size_for_bootable(size, bootable)
    if bootable:
        assert resized is not None and resized >= 100
    else:
        assert resized == size


@FUZZ
@given(st.integers())
def test_count_limits_total(count) -> None:
    for verdict in (can_create_firewall(count), can_delete_firewall(count), can_create_key(count)):
        assert is_verdict(verdict)
    assert can_create_firewall(count).allowed == (count < 25)
    assert can_create_key(count).allowed == (count < 25)
    assert can_delete_firewall(count).allowed == (count <= 0)


@FUZZ
@given(hostile_text, st.lists(instances, max_size=5))
def test_key_in_use_refusal_names_an_active_user(key_id, fleet) -> None:
    verdict = can_delete_key(key_id, fleet)
    assert is_verdict(verdict)
    users = [i for i in fleet if i.status == VMStatus.ACTIVE and key_id in i.ssh_key_ids]
    assert verdict.allowed == (not users)
    if users:
        assert f"'{users[0].name}'" in verdict.message


@FUZZ
@given(anything, anything, anything, st.lists(hostile_text, max_size=3))
def test_snapshot_and_image_forms_total(name, description, status, taken) -> None:
    snapshot = validate_create_snapshot(name=name, description=description, instance_status=status, taken_names=taken)
    image = validate_create_image(name=name, description=description, snapshot_status=status, taken_names=taken)
    assert set(snapshot) == {"name", "description", "instance"} and set(image) == {"name", "description", "snapshot"}
    assert all(is_verdict(v) for v in [*snapshot.values(), *image.values()])


@FUZZ
@given(anything, anything, anything)
def test_credits_and_instance_action_table_total(balance, price, status) -> None:
    assert is_verdict(has_credits_for(balance, price))
    table = instance_actions(status)
    assert tuple(table) == INSTANCE_ACTIONS
    assert all(is_verdict(v) and v == can_instance_action(a, status) for a, v in table.items())


@FUZZ
@given(st.lists(st.integers(), max_size=40), st.integers(min_value=-5, max_value=20))
def test_pages_are_never_blank_while_there_are_cards(items, page) -> None:
    pages = page_count(len(items))
    shown = page_items(items, page)
    assert pages >= 1 and len(shown) <= PAGE_SIZE
    assert bool(shown) == bool(items)
    assert page_count(-len(items)) == 1


@FUZZ
@given(st.lists(volumes(), max_size=8), st.lists(st.builds(
    make_firewall,
    status=st.sampled_from([s.value for s in ResourceStatus] + ["PENDING"]),
    rule_count=st.integers(min_value=0, max_value=1000),
    attachment_count=st.integers(min_value=0, max_value=1000),
), max_size=8))
def test_page_statistics_add_up(vols, firewalls) -> None:
    stats = volume_stats(vols)
    assert stats.total_volumes == len(vols) >= stats.attached_volumes
    assert stats.total_storage_gb == sum(v.size_gb for v in vols)
    fw = firewall_stats(firewalls)
    assert fw.total_firewalls == len(firewalls) >= fw.active
    assert fw.total_rules == sum(f.rule_count for f in firewalls)


@FUZZ
@given(st.sampled_from(list(GpuModelEnum)), st.sampled_from([1, 2, 4, 8]), known_currencies,
       st.sampled_from(list(VMStatus)), amounts, st.integers(min_value=0, max_value=2**20))
def test_prices_are_money_and_never_negative(model, count, currency, status, hourly, size) -> None:
    price = gpu_hourly(model, count, currency)
    assert isinstance(price, Decimal) and price > 0
    assert storage_hourly(size, currency) >= 0
    rate = instance_billing_rate(status, hourly, currency)
    assert rate >= 0
    if status not in (VMStatus.ACTIVE, VMStatus.SHUTOFF, VMStatus.HIBERNATED):
        assert rate == 0  # transitional, DELETED and ERROR bill nothing (I3)
    assert 0 <= hibernation_saving_per_hour(hourly, currency) <= hourly
    assert money(hourly) >= 0 and per_minute(hourly) >= 0
    assert abs(money(hourly) - hourly) <= Decimal("0.005")
