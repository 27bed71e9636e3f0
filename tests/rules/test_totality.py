"""Hypothesis: every validator and state rule answers any text, int or None with a Verdict — never an exception.

The simulator feeds these functions raw request bodies, so a crash here would
be a 500 instead of a 422 with a message.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from barrack_tui.rules.firewalls import can_attach_firewall, validate_create_firewall
from barrack_tui.rules.instances import (
    can_boot_from,
    can_instance_action,
    can_toggle_public_ip,
    delete_confirmed,
    hibernates_when_out_of_credits,
    validate_deployment,
)
from barrack_tui.rules.resources import can_create_image, can_restore_snapshot, can_snapshot, restored_name
from barrack_tui.rules.validators import (
    parse_int,
    validate_cidr,
    validate_cloud_init,
    validate_description,
    validate_jupyter_password,
    validate_key_name,
    validate_name,
    validate_ports,
    validate_resize,
    validate_script,
    validate_security_rule,
    validate_ssh_public_key,
    validate_volume_size,
)
from barrack_tui.rules.verdict import Verdict
from barrack_tui.rules.volumes import validate_create_volume

# deadline=None throughout: on a loaded shared machine, slowness must not read as failure.
anything = st.one_of(st.none(), st.text(), st.integers(), st.booleans())
texts = st.one_of(st.none(), st.text())
ints = st.one_of(st.none(), st.integers())
# Text biased towards the shapes the CIDR/port/key parsers split on.
cidrish = st.one_of(
    st.text(alphabet="0123456789abcdefABCDEF.:/%- ", max_size=45),
    st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4}){0,4}(/[0-9]{0,4})?", fullmatch=True),
    st.text(),
)
keyish = st.one_of(
    st.builds(lambda t, b, c: f"{t} {b} {c}", st.sampled_from(["ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "x"]),
              st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", max_size=200), st.text()),
    st.text(),
)


def is_verdict(value: object) -> bool:
    return isinstance(value, Verdict) and (value.allowed or (value.code.isupper() and value.message != ""))


@given(texts, st.lists(st.text(), max_size=3), st.text(max_size=10))
@settings(deadline=None)
def test_names_total(name, taken, kind) -> None:
    assert is_verdict(validate_name(name, taken=taken, kind=kind))
    assert is_verdict(validate_key_name(name, taken=taken))


@given(anything, st.integers(min_value=0, max_value=1000))
@settings(deadline=None)
def test_description_total(text, max_len) -> None:
    assert is_verdict(validate_description(text, max_len=max_len))


@given(ints, st.booleans(), st.integers())
@settings(deadline=None)
def test_sizes_total(size, bootable, current) -> None:
    assert is_verdict(validate_volume_size(size, bootable=bootable))
    assert is_verdict(validate_resize(current, size))


@given(texts)
@settings(deadline=None)
def test_parse_int_total_and_consistent(text) -> None:
    value, verdict = parse_int(text, label="Size")
    assert is_verdict(verdict)
    assert (value is not None) == verdict.allowed


@given(st.one_of(st.none(), cidrish), st.one_of(st.none(), st.sampled_from(["IPv4", "IPv6"]), st.text()))
@settings(max_examples=300, deadline=None)
def test_cidr_total(prefix, ethertype) -> None:
    assert is_verdict(validate_cidr(prefix, ethertype))


@given(st.one_of(st.none(), st.sampled_from(["tcp", "udp", "icmp"]), st.text()), ints, ints)
@settings(deadline=None)
def test_ports_total(protocol, low, high) -> None:
    assert is_verdict(validate_ports(protocol, low, high))


@given(anything, anything, anything, st.one_of(st.none(), cidrish), ints, ints)
@settings(deadline=None)
def test_security_rule_total(direction, protocol, ethertype, prefix, low, high) -> None:
    verdicts = validate_security_rule(direction, protocol, ethertype, prefix, low, high)
    assert set(verdicts) == {"direction", "protocol", "ethertype", "remote_ip_prefix", "ports"}
    assert all(is_verdict(v) for v in verdicts.values())


@given(st.one_of(st.none(), keyish))
@settings(max_examples=300, deadline=None)
def test_ssh_public_key_total(text) -> None:
    assert is_verdict(validate_ssh_public_key(text))


@given(st.booleans(), texts, texts, texts, st.lists(st.text(), max_size=2))
@settings(deadline=None)
def test_jupyter_cloud_init_script_total(enabled, password, cloud_init, content, taken) -> None:
    assert is_verdict(validate_jupyter_password(enabled, password))
    assert is_verdict(validate_cloud_init(cloud_init))
    assert all(is_verdict(v) for v in validate_script(password, content, taken=taken).values())


@given(anything, anything)
@settings(deadline=None)
def test_instance_state_rules_total(action, status) -> None:
    assert is_verdict(can_instance_action(action, status))
    assert is_verdict(can_toggle_public_ip(status))
    assert is_verdict(can_snapshot(status))
    assert is_verdict(can_restore_snapshot(status))
    assert is_verdict(can_create_image(status))
    assert isinstance(hibernates_when_out_of_credits(Decimal(0), status), bool)
    assert isinstance(delete_confirmed(action, "name"), bool)


@given(texts)
@settings(deadline=None)
def test_restored_name_is_always_a_valid_name(snapshot_name) -> None:
    name = restored_name(snapshot_name)
    assert len(name) <= 50
    assert validate_name(name).allowed


@given(texts, anything, ints, st.booleans(), texts, st.booleans(), st.decimals(allow_nan=False, allow_infinity=False),
       st.sampled_from(["USD", "EUR", "INR", "XXX"]))
@settings(deadline=None)
def test_create_volume_total(name, region, size, bootable, image, profile, balance, currency) -> None:
    verdicts = validate_create_volume(
        name=name, region=region, size_gb=size, bootable=bootable, os_image_id=image, taken_names=["volume1"],
        os_image_ids_in_region=["os-1"], profile_complete=profile, balance=balance, currency=currency,
    )
    assert all(is_verdict(v) for v in verdicts.values())


@given(texts, anything, anything, anything, st.integers(), st.booleans(), st.booleans(), texts, texts)
@settings(deadline=None)
def test_deployment_total(name, region, gpu_model, gpu_count, stock, boot_ok, jupyter, password, cloud_init) -> None:
    verdicts = validate_deployment(
        name=name, taken_names=[], region=region, gpu_model=gpu_model, gpu_count=gpu_count, stock_available=stock,
        boot_source_ok=boot_ok, ssh_key_ids=[], jupyter_enabled=jupyter, jupyter_password=password, cloud_init=cloud_init,
    )
    assert all(is_verdict(v) for v in verdicts.values())


@given(anything, anything, anything, anything, anything)
@settings(deadline=None)
def test_boot_source_total(source_type, region, source_region, bootable, status) -> None:
    assert is_verdict(can_boot_from(source_type, region, source_region=source_region, bootable=bootable, status=status))


@given(texts, texts, anything, anything, texts, anything)
@settings(deadline=None)
def test_firewall_forms_total(name, description, region, status, server_uuid, instance_region) -> None:
    form = validate_create_firewall(name=name, description=description, region=region, taken_names=[])
    assert all(is_verdict(v) for v in form.values())
    assert is_verdict(can_attach_firewall(firewall_region=region, instance_status=status, server_uuid=server_uuid,
                                          instance_region=instance_region))
