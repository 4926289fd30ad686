from toolkit.text.normalize import ZWNJ, ascii_digits, normalize
from toolkit.text.numbers import number_values, stated_numbers


def test_persian_letters_digits_and_diacritics():
    assert normalize("كتاب علي ۱۷", "fa") == "کتاب علی 17"
    assert normalize("مُهِمّ", "fa") == "مهم"
    assert normalize("٣٫٥٪", "fa") == "3.5%"


def test_persian_zwnj_tidied_and_inserted():
    assert normalize("مي روم", "fa") == f"می{ZWNJ}روم"
    assert normalize("کتاب ها", "fa") == f"کتاب{ZWNJ}ها"
    assert normalize(f"{ZWNJ}سلام{ZWNJ}{ZWNJ}", "fa") == "سلام"
    assert normalize(f"ابزار{ZWNJ}ها", "fa") == "ابزارها"  # ر never joins: the ZWNJ did nothing


def test_albanian_letters_are_composed():
    assert normalize("Shqipe\u0308ri c\u0327’ka", "sq") == "Shqipëri ç'ka"


def test_any_script_digits_to_ascii():
    assert ascii_digits("۱۲۳ ١٢٣ १२३") == "123 123 123"


def test_numbers_compare_across_scripts_and_conventions():
    assert stated_numbers("17,000 and ۱۷٬۰۰۰ and 17.000 and 17 thousand", "en")[:2] == ["17000", "17000"]
    assert stated_numbers("۱۷ هزار نفر", "fa") == ["17000"]
    assert stated_numbers("17 mijë dhe 2,5 për qind", "sq") == ["17000", "2.5"]
    assert stated_numbers("۲٫۵ درصد", "fa") == ["2.5"]
    assert {"17", "17000"} <= number_values("more than 17 thousand", "en")
    assert stated_numbers("on 10.09.2022", "sq") == ["10", "9", "2022"]
