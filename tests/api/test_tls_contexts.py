"""TLS: https clients verify against one shared CA context; http clients (the loopback simulator) trust nothing."""

from __future__ import annotations

import ssl

from barrack_tui.api.transport import tls_for as _tls_for


def test_https_verifies_hostnames_against_a_loaded_ca_bundle_built_once():
    first, second = _tls_for("https://api.barrack.example"), _tls_for("https://other.example/api/v1")
    assert first is second  # one CA bundle load per process, not one per client
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    assert first.get_ca_certs() or first.cert_store_stats()["x509_ca"] > 0


def test_http_gets_a_context_that_fails_closed_if_tls_ever_happened():
    context = _tls_for("http://127.0.0.1:8080")
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # no trust anchors: any certificate is refused
