import pytest

from toolkit.errors import InputError
from toolkit.templates import list_templates, load_template


def test_shipped_templates_cover_summary_styles_translation_and_t5_prefixes():
    names = {t.name: t for t in list_templates()}
    assert {"summarize-news", "summarize-headline", "summarize-bullets", "translate-instruction",
            "t5-summarize"} <= set(names)
    assert "t5-translate" not in names  # no T5 model translates the toolkit's pairs: nothing would render it
    assert names["t5-summarize"].body == "summarize: {text}"
    assert names["summarize-news"].variables == ("source_lang", "target_lang", "max_words", "text")
    for template in names.values():
        template.check(template.task)  # every shipped template fits its own task


def test_render_fills_variables():
    text = load_template("translate-instruction").render("translate", text="Hello.", source_lang="English",
                                                         target_lang="German")
    assert "from English to German" in text and text.endswith("\n\nHello.")


def test_unknown_variable_is_named(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("Summarise in the voice of {persona}: {text}", "utf-8")
    with pytest.raises(InputError, match=r"uses the variable \{persona\}, which the summarize task does not provide"):
        load_template(str(path)).check("summarize")


def test_template_for_another_task_is_refused():
    with pytest.raises(InputError, match="is for the translate task, not summarize"):
        load_template("translate-instruction").check("summarize")


def test_user_file_with_literal_braces(tmp_path):
    path = tmp_path / "json.txt"
    path.write_text('# task: summarize\nAnswer as {{"summary": "..."}} for: {text}', "utf-8")
    template = load_template(str(path))
    assert template.render("summarize", text="X", source_lang="English", target_lang="English", max_words=5) == \
        'Answer as {"summary": "..."} for: X'


def test_unknown_name_lists_the_shipped_ones():
    with pytest.raises(InputError, match="no prompt named 'nope'.*summarize-news"):
        load_template("nope")
