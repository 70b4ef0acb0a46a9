"""Vietnamese text rules: NFC storage, accent-insensitive folding and name collation."""

import random
import unicodedata

import pytest

from lms.text import clean_line, collation_key, fold, name_sort_key, nfc, split_name


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfc_turns_decomposed_input_into_composed_form():
    decomposed = nfd("Nguyễn Thị Hương")
    assert decomposed != "Nguyễn Thị Hương"  # the test really feeds NFD
    result = nfc(decomposed)
    assert result == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", result)
    assert len(result) < len(decomposed)


def test_nfc_trims_and_treats_none_as_empty():
    assert nfc("  Hà Nội \n") == "Hà Nội"
    assert nfc(None) == ""
    assert nfc("") == ""


def test_clean_line_collapses_inner_whitespace_and_normalises():
    assert clean_line("  Nguyễn   Thị\tThu \n Hà ") == "Nguyễn Thị Thu Hà"
    assert clean_line(nfd("Đặng  Thị Ánh")) == "Đặng Thị Ánh"
    assert clean_line(None) == ""


@pytest.mark.parametrize("typed", ["nguyen thi huong", "NGUYEN THI HUONG", "Nguyễn Thị Hương", " nguyễn  thị hương "])
def test_fold_makes_accented_and_plain_spellings_equal(typed):
    assert fold(typed) == fold("Nguyễn Thị Hương") == "nguyen thi huong"


def test_fold_of_decomposed_input_is_the_same():
    assert fold(nfd("Nguyễn Thị Hương")) == "nguyen thi huong"


def test_fold_turns_d_with_stroke_into_d():
    assert fold("Đ") == "d"
    assert fold("đ") == "d"
    assert fold("Đặng Văn Đức") == "dang van duc"
    assert fold(None) == ""


def test_base_letters_follow_the_vietnamese_alphabet():
    assert collation_key("a") < collation_key("ă") < collation_key("â") < collation_key("b")
    assert collation_key("d") < collation_key("đ") < collation_key("e")
    assert collation_key("e") < collation_key("ê") < collation_key("g")
    assert collation_key("o") < collation_key("ô") < collation_key("ơ") < collation_key("p")
    assert collation_key("u") < collation_key("ư") < collation_key("v")


def test_upper_and_lower_case_collate_alike():
    assert collation_key("Ánh") == collation_key("ánh")
    assert collation_key("ĐỨC") == collation_key("đức")


def test_tones_sort_after_the_base_letter_in_the_usual_order():
    # none, grave, hook, tilde, acute, dot below
    tones = ["a", "à", "ả", "ã", "á", "ạ"]
    shuffled = tones[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == tones


def test_given_names_sort_in_vietnamese_order():
    expected = ["An", "Anh", "Ánh", "Ân", "Ấn", "Bình"]
    for seed in range(5):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=collation_key) == expected


def test_d_sorts_before_d_with_stroke_whatever_the_tones():
    assert sorted(["Đức", "Dũng"], key=collation_key) == ["Dũng", "Đức"]
    assert sorted(["Đào", "Duy", "Dung", "Dũng"], key=collation_key) == ["Dung", "Dũng", "Duy", "Đào"]


def test_letters_decide_before_tones():
    # "Ánh" has a tone but "Anh" < "Ánh" < "Ân": the letter â outranks any tone on a.
    assert collation_key("Anh") < collation_key("Ánh") < collation_key("Ân")
    assert collation_key("Hùng") < collation_key("Hương")


def test_name_sort_key_sorts_by_given_name_first():
    people = ["Nguyễn Thị Hương", "Trần Văn An", "Vũ Đức Anh", "Phan Văn Dũng", "Bùi Văn Đức", "Đặng Thị Ánh",
              "Dương Thị Ngọc Ân", "Lý Văn Bình"]
    assert sorted(people, key=name_sort_key) == [
        "Trần Văn An", "Vũ Đức Anh", "Đặng Thị Ánh", "Dương Thị Ngọc Ân", "Lý Văn Bình", "Phan Văn Dũng",
        "Bùi Văn Đức", "Nguyễn Thị Hương",
    ]


def test_name_sort_key_breaks_ties_by_family_and_middle_name():
    people = ["Nguyễn Thị Hương", "Lê Thị Hương", "Đỗ Thị Hương", "Dương Thị Hương", "Lê Văn Hương"]
    assert sorted(people, key=name_sort_key) == [
        "Dương Thị Hương", "Đỗ Thị Hương", "Lê Thị Hương", "Lê Văn Hương", "Nguyễn Thị Hương",
    ]


def test_name_sort_key_ignores_spacing_and_normal_form():
    assert name_sort_key(" Nguyễn  Thị Hương ") == name_sort_key(nfd("Nguyễn Thị Hương"))


def test_single_word_name_sorts_by_that_word():
    assert sorted(["Bình", "Trần Văn An"], key=name_sort_key) == ["Trần Văn An", "Bình"]


def test_split_name_gives_family_and_middle_then_given_name():
    assert split_name("Nguyễn Thị Hương") == ("Nguyễn Thị", "Hương")
    assert split_name("  Dương   Thị Ngọc  Ân ") == ("Dương Thị Ngọc", "Ân")
    assert split_name("Hương") == ("", "Hương")
    assert split_name(nfd("Lê Thị Thu Hà")) == ("Lê Thị Thu", "Hà")
