"""``PivotTranslator`` and ``route`` on tiny real models: Persian to Albanian through English."""

import pytest

from toolkit.errors import LanguageError
from toolkit.provenance import DecodingSettings
from toolkit.translate.factory import build_translator
from toolkit.translate.pivot import PivotTranslator, route

SENTENCES = ["وزیر گفت که مذاکرات ادامه خواهد یافت.", "سلام."]


@pytest.fixture
def legs(m2m100_model, marian_model):
    short = DecodingSettings(max_length_ratio=0.5, max_length_offset=2)  # English that fits the second model
    return (build_translator("fa", "en", str(m2m100_model), decoding=short),
            build_translator("en", "sq", str(marian_model), decoding=short))


def test_the_legs_composed_as_one_translator(legs):
    first, second = legs
    middle = first.translate_batch(SENTENCES)
    first_bound = first.last_bound
    expected = second.translate_batch(middle)
    expected_bound = [a or b for a, b in zip(first_bound, second.last_bound)]
    pivot = PivotTranslator(first, second)
    assert (pivot.source, pivot.target, pivot.max_input_tokens) == ("fa", "sq", first.max_input_tokens)
    assert pivot.count_tokens(SENTENCES) == first.count_tokens(SENTENCES)
    assert pivot.translate_batch(SENTENCES) == expected and pivot.last_bound == expected_bound
    assert pivot.bound_reached == first.bound_reached + second.bound_reached
    provenance = pivot.provenance.to_dict()
    assert provenance["pivot"] == "en"
    assert [leg["model_id"] for leg in provenance["legs"]] == [first.provenance.model_id, second.provenance.model_id]
    assert pivot.provenance.device == "cpu"
    assert [len(options) for options in pivot.translate_nbest(SENTENCES, 2)] == [2, 2]


def test_a_pivot_text_longer_than_the_second_model_takes_is_cut_there(legs):
    first, second = legs
    pivot = PivotTranslator(first, second)
    middle = first.translate_batch(SENTENCES)
    second.max_input_tokens = 3  # the English is longer than that: cut to the limit, not sent whole
    assert all(n > 3 for n in second.count_tokens(middle))
    assert all(text.strip() for text in pivot.translate_batch(SENTENCES)) and len(pivot.last_bound) == 2


def test_legs_that_do_not_meet_are_refused(legs):
    first, second = legs
    with pytest.raises(ValueError, match="fa->en does not lead into fa->en"):
        PivotTranslator(first, first)


def test_route_pivots_only_through_models_named_for_both_legs(marian_model, m2m100_model):
    built = []

    def build(source, target):
        built.append((source, target))
        return build_translator(source, target, str(m2m100_model if source == "fa" else marian_model))

    assert isinstance(route("fa", "sq", str(marian_model), str(m2m100_model), build), PivotTranslator)
    assert built == [("fa", "en"), ("en", "sq")]
    assert not isinstance(route("fa", "sq", str(m2m100_model), None, build), PivotTranslator)  # it translates fa->sq
    for pivot_model in (None, str(marian_model)):  # none named for fa->en, or one that does not translate it
        with pytest.raises(LanguageError, match="does not translate fa->sq"):  # the direct pair's refusal
            route("fa", "sq", str(marian_model), pivot_model, build)
