"""/summarize and /chain answer what the CLI's --json prints; HTML, alternatives, files, CORS, metrics."""

from __future__ import annotations

import json
import re

import httpx
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.provenance import DecodingSettings

ARTICLE = ("The minister said the talks would continue next week in Tirana. Iran and Albania cut diplomatic ties in "
           "September 2022. Journalists were not allowed to enter the building, the agency reported. Prices of bread, "
           "fuel and housing rose by 12 percent in the capital last year.")


def _without_timings(result: dict) -> dict:
    result = json.loads(json.dumps(result))
    result["manifest"].pop("timings_s")
    result["manifest"]["summarizer"].pop("seconds", None)
    return result


def test_summarize_returns_the_cli_json(start_server, marian_multi_model, tmp_path):
    server = start_server(decoding=DecodingSettings())
    response = httpx.post(server.url + "/summarize", json={"q": ARTICLE, "source": "en", "target": ["en", "fa"],
                                                          "method": "extractive", "max_words": 30}, timeout=120)
    assert response.status_code == 200, response.text
    (tmp_path / "article.txt").write_text(ARTICLE, "utf-8")
    cli = CliRunner().invoke(app, ["summarize", str(tmp_path / "article.txt"), "--method", "extractive", "--max-words", "30", "--from", "en",
                                   "--to", "fa", "--model", f"fa={marian_multi_model}", "--backend", "hf",
                                   "--json"])
    assert cli.exit_code == 0, cli.output
    served = response.json()
    assert set(served["summary"]) == {"en", "fa"} and served["manifest"]["translators"]["en-fa"]["model_id"]
    printed = json.loads(cli.stdout)
    assert printed.pop("id") and served.pop("id") == "article"
    assert _without_timings(served) == _without_timings(printed)


def test_chain_runs_the_given_steps(start_server):
    server = start_server(decoding=DecodingSettings())
    response = httpx.post(server.url + "/chain", data={"q": ARTICLE, "source": "en", "steps": "translate:sq,summarize",
                                                      "method": "extractive", "sentences": "1"}, timeout=120)
    result = response.json()
    assert response.status_code == 200, result
    assert result["manifest"]["steps"] == ["translate:sq", "summarize"]
    assert list(result["summary"]) == ["sq"] and result["translations"]["sq"]


def test_html_is_translated_as_the_cli_translates_a_page_a_sentence_and_its_tags_one_segment(server, alone):
    lead = 'The minister <b>met</b> 1,200 people in <a href="/t?a=1&amp;b=2" class="place">Tirana</a>.'
    html = f'<p class="lead" id="top">{lead}</p>\n<p>Prices rose.</p><script>var x = "<b>Prices</b>";</script><style>p{{}}</style>'
    assert len(html) <= server.config.char_limit
    result = httpx.post(server.url + "/translate", json={"q": html, "source": "en", "target": "sq", "format": "html",
                                                         "flags": True}).json()
    out = result["translatedText"]
    assert out == alone("sq", html, html=True)  # one HTML reader and writer: the CLI's
    # A fragment stays a fragment (no <html>, lang or dir added); attributes, script and style byte for byte.
    assert out.startswith('<p class="lead" id="top">') and '<a href="/t?a=1&amp;b=2" class="place">' in out
    assert out.endswith('</p><script>var x = "<b>Prices</b>";</script><style>p{}</style>')
    first = out[len('<p class="lead" id="top">'):out.index("</p>")]
    # Each tag once, in order (the random tiny model drops the codes' markers: they are put back).
    assert re.fullmatch(r"[^<>]*<b>[^<>]*</b>[^<>]*<a [^<>]+>[^<>]*</a>[^<>]*", first), first
    # The sentence went to the model whole, its tags as codes: one segment, flagged (its number and its
    # codes' markers lost), as the CLI's flags sidecar names it.
    [entry] = [e for e in result["flags"] if e["part"] == "block 1 <p>"]
    assert entry["source"] == lead and entry["translation"] == first
    assert {"numbers", "placeholders"} <= {f["check"] for f in entry["flags"]}


def test_alternatives_are_other_beam_hypotheses(server):
    response = httpx.post(server.url + "/translate",
                          json={"q": ["Prices rose.", "Iran and Albania cut diplomatic ties."], "source": "en",
                                "target": "fa", "alternatives": 2})
    result = response.json()
    assert len(result["translatedText"]) == 2 and len(result["alternatives"]) == 2
    for best, others in zip(result["translatedText"], result["alternatives"]):
        assert best and best not in others and len(others) <= 2 and all(others)


def test_html_file_is_translated_and_downloaded_once_named(server, alone):
    page = "<!DOCTYPE html>\n<html><head><title>Prices</title></head><body><h1>Prices rose.</h1></body></html>"
    response = httpx.post(server.url + "/translate_file", data={"source": "en", "target": "fa"},
                          files={"file": ("../../news page.html", page.encode())})
    url = response.json()["translatedFileUrl"]
    name = url.rsplit("/", 1)[1]
    assert url.startswith("/download_file/") and name.endswith(".news_page.html")
    download = httpx.get(server.url + url)
    assert download.text.startswith("<!DOCTYPE html>\n<html dir=\"rtl\" lang=\"fa\"><head><title>")  # markup kept, language set
    assert f"<h1>{alone('fa', 'Prices rose.')}</h1>" in download.text


def test_cors_spec_and_metrics(server):
    preflight = httpx.options(server.url + "/translate", headers={"Origin": "https://news.example",
                                                                  "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
    simple = httpx.post(server.url + "/translate", json={"q": "Prices rose.", "source": "en", "target": "fa"},
                        headers={"Origin": "https://news.example"})
    assert simple.headers["access-control-allow-origin"] == "*"
    spec = httpx.get(server.url + "/spec").json()
    assert {"/translate", "/detect", "/summarize", "/chain"} <= set(spec["paths"])
    httpx.post(server.url + "/translate", json={"q": "Prices rose.", "source": "en", "target": "fa"})
    metrics = httpx.get(server.url + "/metrics").text
    assert 'toolkit_requests_total{endpoint="/translate",status="200"}' in metrics
    assert 'toolkit_queue_depth{work="translate"} 0' in metrics and "toolkit_request_seconds_bucket" in metrics
    hits = int(re.search(r"^toolkit_memory_hits_total (\d+)$", metrics, re.M).group(1))
    assert hits >= 1  # the same sentence twice: the second answer came from the translation memory


def test_abstractive_summaries_only_with_a_summary_model(start_server, bart_model, tmp_path):
    plain = start_server()
    assert httpx.get(plain.url + "/frontend/settings").json()["summaryMethods"] == ["extractive"]
    refused = httpx.post(plain.url + "/summarize", json={"q": ARTICLE, "source": "en", "target": "en", "method": "abstractive"})
    assert (refused.status_code, refused.json()) == (400, {"error": "abstractive method is not supported"})

    server = start_server(summary_model=str(bart_model), decoding=DecodingSettings())
    assert httpx.get(server.url + "/frontend/settings").json()["summaryMethods"] == ["extractive", "abstractive"]
    response = httpx.post(server.url + "/summarize", json={"q": ARTICLE, "source": "en", "target": "en",
                                                          "method": "abstractive"}, timeout=120)
    assert response.status_code == 200, response.text
    (tmp_path / "article.txt").write_text(ARTICLE, "utf-8")
    cli = CliRunner().invoke(app, ["summarize", str(tmp_path / "article.txt"), "--method", "abstractive", "--from", "en",
                                   "--summary-model", str(bart_model), "--backend", "hf", "--json"],
                            env={"TOOLKIT_DTYPE": "float32"})  # the test servers' dtype (conftest)
    assert cli.exit_code == 0, cli.output
    served, printed = response.json(), json.loads(cli.stdout)
    assert served["manifest"]["summarizer"]["model"]["model_id"] == str(bart_model)
    assert served["summary"] == printed["summary"]
