"""/suggest: checked like every route, kept apart for review, served only once an operator accepts it."""

from __future__ import annotations

import httpx
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.provenance import DecodingSettings

SENTENCE = "Good morning everyone."
POISON = "POISONED"


@pytest.fixture
def as_server(server_home, monkeypatch):
    """The CLI run against the folders of ``server_home`` (as on the server's own machine)."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(server_home / "cache"))
    monkeypatch.setenv("TOOLKIT_DATA_DIR", str(server_home / "data"))
    monkeypatch.setenv("TOOLKIT_DTYPE", "float32")  # the test servers' dtype (conftest), so both share memory entries


@pytest.fixture(scope="module")
def cli_scope_server(start_server):
    """A server whose decoding is the CLI's default, so both share translation-memory entries."""
    return start_server(suggestions=True, decoding=DecodingSettings())


@pytest.fixture
def server_home(cli_scope_server):
    return cli_scope_server.home


def test_suggest_checks_keys_and_rate_limits_like_every_route(start_server):
    server = start_server(suggestions=True, api_keys=True, req_limit=2)
    suggestion = {"q": SENTENCE, "s": POISON, "source": "en", "target": "sq"}
    wrong = httpx.post(server.url + "/suggest", json={**suggestion, "api_key": "wrong"})
    assert (wrong.status_code, wrong.json()) == (403, {"error": "Invalid API key"})
    assert [httpx.post(server.url + "/suggest", json=suggestion).status_code for _ in range(2)] == [200, 200]
    limited = httpx.post(server.url + "/suggest", json=suggestion)
    assert (limited.status_code, limited.json()) == (429, {"error": "Slowdown: 2 per 1 minute"})


def test_a_suggestion_is_not_served_until_accepted_by_the_operator(cli_scope_server, as_server, marian_multi_model):
    server, runner = cli_scope_server, CliRunner()
    translate = lambda: httpx.post(server.url + "/translate",  # noqa: E731
                                   json={"q": SENTENCE, "source": "en", "target": "sq"}).json()["translatedText"]
    cli = lambda: runner.invoke(app, ["translate", SENTENCE, "--to", "sq", "--model", str(marian_multi_model),  # noqa: E731
                                      "--backend", "hf", "--quiet"])
    by_model = translate()
    assert by_model != POISON and cli().stdout.strip() == by_model
    assert httpx.post(server.url + "/suggest", json={"q": SENTENCE, "s": POISON, "source": "en", "target": "sq"}).json() \
        == {"success": True}
    assert translate() == by_model  # not for this user, not for others
    assert translate() == by_model and cli().stdout.strip() == by_model  # nor for the offline CLI on the same machine

    listed = runner.invoke(app, ["serve", "suggestions", "list"])
    assert listed.exit_code == 0 and "en-sq" in listed.stdout and repr(POISON) in listed.stdout
    suggestion_id = listed.stdout.split("\t", 1)[0]
    unknown = runner.invoke(app, ["serve", "suggestions", "accept", "999"])
    assert unknown.exit_code == 2 and unknown.stderr.strip() == \
        "error: no suggestion 999 (see toolkit serve suggestions list)"
    assert runner.invoke(app, ["serve", "suggestions", "list"]).stdout.split("\t", 1)[0] == suggestion_id
    accepted = runner.invoke(app, ["serve", "suggestions", "accept", suggestion_id])
    assert accepted.exit_code == 0, accepted.output
    assert translate() == POISON and cli().stdout.strip() == POISON  # the operator's decision
    assert runner.invoke(app, ["serve", "suggestions", "list"]).stdout == ""


def test_rejected_suggestion_is_gone_and_never_served(cli_scope_server, as_server):
    server, runner = cli_scope_server, CliRunner()
    sentence = "The road was closed for repairs."
    before = httpx.post(server.url + "/translate", json={"q": sentence, "source": "en", "target": "fa"}).json()
    httpx.post(server.url + "/suggest", json={"q": sentence, "s": POISON, "source": "en", "target": "fa"})
    suggestion_id = runner.invoke(app, ["serve", "suggestions", "list"]).stdout.split("\t", 1)[0]
    assert runner.invoke(app, ["serve", "suggestions", "reject", suggestion_id]).exit_code == 0
    assert runner.invoke(app, ["serve", "suggestions", "list"]).stdout == ""
    assert httpx.post(server.url + "/translate", json={"q": sentence, "source": "en", "target": "fa"}).json() == before
