from khabar.cli import main
from khabar.stats import compute_stats


def test_stats_count_the_seed_by_phenomenon(seed):
    s = compute_stats([seed])
    texts = {n["text"] for n in seed["numbers"]}
    assert s.numbers == len(seed["numbers"]) == 13
    # hand-checked against annotations/GUIDELINES.md §4.11
    assert (s.approximators, s.vague, s.ordinals, s.dates_and_years) == (2, 2, 2, 2)
    assert s.word_numerals == len({"الأولى", "الأول", "مليون", "أسبوعًا"} & texts) == 4
    assert (s.money, s.percent, s.arabic_indic_digits, s.fractions) == (0, 0, 0, 0)
    assert s.entity_mentions == 70 and dict(s.mentions_by_type)["GPE"] == 33
    assert s.entities_with_variants >= 2  # Pyongyang and Seoul at least
    assert dict(s.stance_by_polarity) == {"support": 7, "oppose": 4, "neutral": 2}


def test_stats_and_gold_check_commands(store, tmp_path, capsys):
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert f"articles                 {len(store.articles)}\n" in out
    polarity = compute_stats(store.articles).stance_by_polarity
    assert "stance by polarity       " + ", ".join(f"{p} {n}" for p, n in polarity) in out
    bad = tmp_path / "bad.khabar"
    bad.write_text("---\nid: x\n---\nنص ⟦علي", encoding="utf-8")
    assert main(["gold", "check", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all(line.startswith(f"{bad}:") for line in err)
