// The toolkit's web page: translate or summarise an article into the chosen languages.
"use strict";

const RTL = new Set(["fa", "ar", "he", "ps", "ur"]);
const $ = (id) => document.getElementById(id);
let names = {};
let directions = {};

function showError(message) {
  const error = $("error");
  error.textContent = message;
  error.hidden = !message;
}

async function call(path, body) {
  const key = $("api-key").value;
  if (key) body = { ...body, api_key: key };
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) {
    throw new Error((data && data.error) || `${response.status} ${response.statusText}`);
  }
  return data;
}

function selectedTargets() {
  return [...document.querySelectorAll("#targets input:checked")].map((box) => box.value);
}

// Why a segment is flagged, for a person: "numbers: missing: 1,200; names: dropped: Tirana".
function reasons(flags) {
  return flags.map((f) => (f.detail ? `${f.check}: ${f.detail}` : f.check)).join("; ");
}

// The text with each flagged segment (``translation``, or a summary sentence's ``text``, in order) in a
// <mark> that says why on hover (title) and on keyboard focus (tabindex, aria-describedby, shown by CSS).
function showFlagged(out, text, entries, lang) {
  let at = 0;
  const notes = [];
  entries.forEach((entry, i) => {
    const segment = entry.translation || entry.text || "";
    const found = segment ? text.indexOf(segment, at) : -1;
    if (found < 0) return;
    const why = reasons(entry.flags);
    const mark = document.createElement("mark");
    mark.className = "flagged";
    mark.tabIndex = 0;
    mark.title = why;
    mark.dataset.why = why;
    mark.textContent = segment;
    const note = document.createElement("span");
    note.id = `why-${lang}-${i}`;
    note.hidden = true;
    note.textContent = `Flagged: ${why}`;
    mark.setAttribute("aria-describedby", note.id);
    out.append(text.slice(at, found), mark);
    notes.push(note);
    at = found + segment.length;
  });
  out.append(text.slice(at));
  return notes;
}

function showOutput(lang, text, kind, flagged = []) {
  const section = document.createElement("section");
  section.className = "output";
  const title = document.createElement("h2");
  title.textContent = `${names[lang] || lang} ${kind}`;
  const out = document.createElement("div");
  out.className = "output-text";
  out.id = `output-${lang}`;
  out.lang = lang;
  out.dir = directions[lang] || (RTL.has(lang) ? "rtl" : "ltr");
  const notes = showFlagged(out, text, flagged, lang);
  const copy = document.createElement("button");
  copy.type = "button";
  copy.textContent = "Copy";
  copy.id = `copy-${lang}`;
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(out.textContent);
      $("status").textContent = "Copied";
    } catch (e) {
      showError(`Cannot copy: ${e.message}`);
    }
  });
  const download = document.createElement("a");
  download.textContent = "Download";
  download.id = `download-${lang}`;
  download.href = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  download.download = `${kind}-${lang}.txt`;
  section.append(title, out, copy, " ", download, ...notes);
  $("outputs").append(section);
}

// A document chosen in the picker (DOCX, subtitles, PO...): translated by /translate_file into a file of
// its kind, offered for download; null for text the textarea holds.
let documentFile = null;
const TEXT_FILES = /\.(txt|md|html?|xhtml)$/i;

async function translateFile(file, source, target) {
  const form = new FormData();
  form.append("file", file);
  form.append("source", source);
  form.append("target", target);
  form.append("flags", "true");
  const key = $("api-key").value;
  if (key) form.append("api_key", key);
  const response = await fetch("translate_file", { method: "POST", body: form });
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok) throw new Error((data && data.error) || `${response.status} ${response.statusText}`);
  return data;
}

// A translated document: its download, and how many of its segments are flagged, each listed with
// where it is in the document (``cues 3-5``, ``paragraph 2``) and why.
function showDocument(lang, { translatedFileUrl: url, flags = [] }, name) {
  const section = document.createElement("section");
  const title = document.createElement("h2");
  title.textContent = names[lang] || lang;
  const link = document.createElement("a");
  link.id = `download-${lang}`;
  link.href = url;
  const dot = name.lastIndexOf(".");
  link.download = dot > 0 ? `${name.slice(0, dot)}.${lang}${name.slice(dot)}` : `${name}.${lang}`;
  link.textContent = `Download ${link.download}`;
  section.append(title, link);
  const flagged = document.createElement("details");
  flagged.id = `flagged-${lang}`;
  const count = document.createElement("summary");
  count.textContent = `${flags.length} flagged segment${flags.length === 1 ? "" : "s"}`;
  const list = document.createElement("ul");
  for (const entry of flags) {
    const item = document.createElement("li");
    item.textContent = `${entry.part ? `${entry.part}: ` : ""}${entry.translation} (${reasons(entry.flags)})`;
    list.append(item);
  }
  flagged.append(count, list);
  section.append(flagged);
  $("outputs").append(section);
}

async function run(kind) {
  showError("");
  $("outputs").replaceChildren();
  const q = $("source-text").value;
  const targets = selectedTargets();
  if (!q.trim() && !documentFile) { showError("Paste an article or choose a file first."); return; }
  if (kind === "summary" && documentFile) { showError("Summaries are made from text: paste the article."); return; }
  if (!targets.length) { showError("Pick at least one language."); return; }
  const source = $("source").value;
  $("status").textContent = kind === "translation" ? "Translating…" : "Summarising…";
  try {
    if (kind === "translation" && documentFile) {
      const answers = await Promise.all(targets.map((target) => translateFile(documentFile, source, target)));
      answers.forEach((answer, i) => showDocument(targets[i], answer, documentFile.name));
    } else if (kind === "translation") {
      const format = $("file").dataset.format || "text";
      const results = await Promise.all(targets.map((target) => call("translate", { q, source, target, format, flags: true })));
      results.forEach((result, i) => showOutput(targets[i], result.translatedText, kind, result.flags || []));
    } else {
      const result = await call("summarize", { q, source, target: targets, method: $("method").value });
      const flagged = { ...(result.summary_flags || {}), ...(result.flags || {}) };
      for (const lang of targets) {
        if (lang in result.summary) showOutput(lang, result.summary[lang], kind, flagged[lang] || []);
      }
    }
    $("status").textContent = "";
  } catch (e) {
    $("status").textContent = "";
    showError(e.message);
  }
}

async function start() {
  try {
    const [languages, settings] = await Promise.all([
      fetch("languages").then((r) => r.json()),
      fetch("frontend/settings").then((r) => r.json()),
    ]);
    directions = settings.directions || {};
    if ((settings.supportedFilesFormat || []).length) $("file").accept = settings.supportedFilesFormat.join(",");
    $("api-key-field").hidden = !settings.apiKeys;
    for (const method of settings.summaryMethods || ["extractive"]) {
      const option = document.createElement("option");
      option.value = method;
      option.textContent = method;
      $("method").append(option);
    }
    const targets = new Set();
    for (const lang of languages) {
      names[lang.code] = lang.name;
      if (lang.targets.length) {
        const option = document.createElement("option");
        option.value = lang.code;
        option.textContent = lang.name;
        $("source").append(option);
        lang.targets.forEach((t) => targets.add(t));
      }
    }
    for (const code of targets) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = code;
      box.id = `target-${code}`;
      box.checked = code === settings.language.target.code;
      label.append(box, ` ${names[code] || code}`);
      $("targets").append(label);
    }
  } catch (e) {
    showError(`Cannot reach the service: ${e.message}`);
  }
}

$("form").addEventListener("submit", (event) => { event.preventDefault(); run("translation"); });
$("summarize").addEventListener("click", () => run("summary"));
$("file").addEventListener("change", async () => {
  const file = $("file").files[0];
  documentFile = null;
  if (!file) return;
  if (!TEXT_FILES.test(file.name)) {  // a document: sent as it is, its translation downloaded
    documentFile = file;
    $("source-text").value = "";
    $("source-text").placeholder = `${file.name} will be translated into a file of its kind`;
    return;
  }
  $("source-text").value = await file.text();
  $("file").dataset.format = /\.x?html?$/i.test(file.name) ? "html" : "text";
});
start();
