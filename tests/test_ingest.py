import unicodedata

from conftest import SEED_SOURCE

from khabar.ingest import parse_scraped


def test_seed_text_in_the_store_is_the_scraped_article_without_page_furniture(seed):
    page = parse_scraped(SEED_SOURCE.read_text(encoding="utf-8"))
    assert seed["text"] == page.text
    assert seed["headline"] == "5 ملايين قذيفة مدفعية من كوريا الشمالية لروسيا قبل زيارة بوتين"
    assert seed["published"] == "2024-11-22T07:13"
    assert seed["byline"] == "خاطر عبادة"
    assert seed["origin"] == "published"
    for furniture in ("A A", "زعيما روسيا وكوريا الشمالية، أرشيفية", "search", "07:13", "الجمعة"):
        assert furniture not in seed["text"]
    assert seed["text"].endswith("لاغتنام فرصة الفوز.")


def test_the_articles_own_characters_are_kept(seed):
    raw = SEED_SOURCE.read_text(encoding="utf-8")
    # the page uses no-break spaces between words; they are the article's, not ours to change (only white space
    # at the ends of a paragraph, which is layout, goes)
    inner = sum(line.strip().count("\u00a0") for line in raw.splitlines())
    assert seed["text"].count("\u00a0") == inner > 0
    assert unicodedata.normalize("NFC", seed["text"]) == seed["text"]
    for paragraph in seed["text"].split("\n"):
        assert paragraph.strip() in raw


def test_time_in_the_afternoon_and_levantine_month_names():
    page = parse_scraped("الأحد، ٣ شباط ٢٠٢٤\n\n٠٢:٠٥ م\n\nعنوان الخبر\n\nفقرة أولى.\n\nsearch")
    assert page.published == "2024-02-03T14:05"
    assert page.headline == "عنوان الخبر"
    assert page.paragraphs == ("فقرة أولى.",)
