"""Markdown translated into Markdown (``story.md`` -> ``story.sq.md``): emphasis delimiters, link
targets and code are codes the model never sees, and come back around their words."""

from __future__ import annotations

import regex
from typer.testing import CliRunner

from tests.formats.test_subtitles import Upper, _translate
from tests.identity import IdentityTranslator
from toolkit.cli import app

STORY = """# The **vote** in Tirana

The minister said the *talks* would go on, and __everyone__ agreed; see [the _full_ story](https://a.al/x_y_z).
A snake_case_name and 2 * 3 * 4 are not emphasis.

```python
print("*not* translated")
```
"""


def test_emphasis_is_a_paired_code_and_comes_back_around_its_words():
    translator = IdentityTranslator(max_input_tokens=400)
    out, _ = _translate(STORY, "story.md", translator)
    assert out == STORY
    sent = [s for batch in translator.batches for s in batch]
    assert "The [1]vote[2] in Tirana" in sent
    assert any("the [1]talks[2] would go on, and [3]everyone[4] agreed; see [5]the [6]full[7] story[8]" in s for s in sent)
    assert "A snake_case_name and 2 * 3 * 4 are not emphasis." in sent
    out, _ = _translate(STORY, "story.md", Upper(max_input_tokens=400))  # the model drops every marker
    assert out.startswith("# THE **VOTE** IN TIRANA\n")
    for emphasis in (r"(?<!\*)\*\w+\*(?!\*)", r"__\w+__", r"_\w+(?: \w+)*_"):  # each pair still wraps words, glued to them
        assert regex.search(emphasis, out.split("\n")[2]), emphasis
    assert "(https://a.al/x_y_z)" in out and 'print("*not* translated")' in out


def test_a_markdown_file_is_written_as_markdown_beside_its_name(marian_model, tmp_path):
    story = tmp_path / "story.md"
    story.write_text(STORY, "utf-8")
    result = CliRunner().invoke(app, ["translate", str(story), "--to", "sq", "--model", marian_model, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    translated = (tmp_path / "out" / "story.sq.md").read_text("utf-8")
    assert translated.startswith("# ") and translated.count("**") == 2 and "(https://a.al/x_y_z)" in translated
    assert translated.endswith('```python\nprint("*not* translated")\n```\n') and "The minister said" not in translated
