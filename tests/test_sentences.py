from hypothesis import given
from hypothesis import strategies as st

from khabar.sentences import split_sentences


def test_decimal_points_and_line_breaks():
    text = "ارتفع المؤشر 3.5 في المئة. وقال المحلل: \"هذا جيد\". \nسطر ثان؟ نعم"
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["ارتفع المؤشر 3.5 في المئة.", "وقال المحلل: \"هذا جيد\".", "سطر ثان؟", "نعم"]


@given(st.text(alphabet="اب ت.؟\n!\"", max_size=80))
def test_sentences_are_ordered_trimmed_and_non_empty(text):
    spans = split_sentences(text)
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip()
        prev_end = e
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == "".join(text.split())
