"""Throughput of the number systems on one core: KB of text per second, and the ratio to pyarabic.

The input (~200 KB by default) is built deterministically from Arabic news sentences with numbers in every form
the layer covers (digits in three scripts, words, scales, percent, money, dates, durations, approximators) mixed
with sentences without numbers, so that it has about as many numbers per KB as the seed article (~3); ``--dense``
uses only the sentences with numbers (~4 times denser: the scanner's worst case, as its cost grows with the
number of expressions while pyarabic's does not). It is cut into articles of about 2 KB. Each system runs over
all of it ``--repeat`` times; the best run counts.

    python benchmarks/perf/numbers_throughput.py [--size-kb 200] [--repeat 5] [--dense]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence

from pyarabic import number as pyarabic_number

from khabar import systems
from khabar.numbers.render import Style, render

_SENTENCES = (
    "كشفت سيئول أن بيونج يانج أرسلت ما لا يقل عن {d} آلاف حاوية شحن تحوي {w} قذيفة مدفعية إلى روسيا.",
    "وقال المتحدث باسم الوزارة إن الميزانية بلغت {f} مليار دولار في عام {y}، بزيادة {p}٪ عن العام الماضي.",
    "وأضاف أن نحو {w} شخص شاركوا في المسيرة التي استمرت أسبوعًا في العاصمة، وأصيب {d} منهم.",
    "وارتفع معدل التضخم إلى {f} في المئة في {m} {y} مقارنة بالشهر السابق، وفق البيانات الرسمية.",
    "وتعهد الاتحاد الأوروبي بتزويد أوكرانيا بمليون قذيفة بحلول نهاية العام، لكنه سلم {w} فقط.",
    "وزار الرئيس المنطقة للمرة الأولى منذ {d} عاما، وهي الزيارة الثالثة لمسؤول رفيع خلال {d} أشهر.",
    "واستخدمت روسيا حق النقض ضد مشروع القرار الذي أيده أكثر من {d} عضوا من أصل {e} في المجلس.",
    "وأشار التقرير إلى أن عشرات الصواريخ الباليستية أطلقت على المدن، وأن العشرات من حطامها عثر عليه.",
    "وبلغت قيمة الصفقة {d} ملايين و{d}00 ألف يورو، أي ما يقرب من {f} مليار ريال سعودي.",
    "ونقلت الوكالة عن مصدر قوله إن المحادثات ستستأنف في الأسبوع المقبل دون أن يحدد موعدا لذلك.",
)
_PLAIN = (
    "وقال المتحدث باسم الكرملين للصحفيين إن العلاقات الثنائية بين البلدين تشهد تطورا ملحوظا في مختلف المجالات.",
    "وأثارت الزيارة قلق الدول الغربية التي تخشى أن تؤدي إلى تعزيز التعاون العسكري بين الجانبين.",
    "ودعا الأمين العام للأمم المتحدة الأطراف كافة إلى ضبط النفس والعودة إلى طاولة المفاوضات دون شروط مسبقة.",
    "وأكدت وزارة الخارجية في بيان أن الحكومة ستواصل جهودها الدبلوماسية لحل الأزمة بالطرق السلمية.",
    "ويرى محللون أن هذه الخطوة تعكس رغبة القيادة في إعادة ترتيب أولوياتها الاقتصادية والسياسية.",
    "ونفت الحكومة التقارير التي تحدثت عن صفقات أسلحة سرية، ووصفتها بأنها سخيفة ولا أساس لها من الصحة.",
    "وفرض مجلس الأمن عقوبات على الشركات المتورطة، بينما اعترضت دول أخرى على تشديدها هذا الأسبوع.",
    "وشهدت العاصمة احتجاجات واسعة شارك فيها طلاب وعمال ونقابيون طالبوا بإصلاحات سياسية شاملة.",
    "وأضاف المسؤول أن الاستعدادات جارية لاستقبال الوفود المشاركة في القمة التي تستضيفها المدينة الأيام المقبلة.",
    "ولم يصدر أي تعليق رسمي حتى الآن على هذه الأنباء من جانب السلطات المعنية أو من المتحدثين باسمها.",
)
_MONTHS = ("يناير", "شباط", "مارس", "نيسان", "مايو", "حزيران", "يوليو", "آب", "سبتمبر", "تشرين الأول")
_SCRIPTS = (str.maketrans("", ""), str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def build_input(size_kb: float, seed: int = 0, *, dense: bool = False) -> list[str]:
    """Articles of about 2 KB (UTF-8) each, together about ``size_kb`` KB; the same for the same arguments."""
    rng = random.Random(seed)
    share_with_numbers = 1.0 if dense else 0.3
    articles: list[str] = []
    lines: list[str] = []
    size = 0
    while size < size_kb * 1024:
        style = Style(rng.random() < 0.5, rng.choice(["مئة", "مائة"]), rng.random() < 0.3)
        if rng.random() >= share_with_numbers:
            line = rng.choice(_PLAIN)
        else:
            line = rng.choice(_SENTENCES).format(
                d=rng.randint(2, 99), w=render(rng.randint(1, 10**9), style),
                f=f"{rng.randint(1, 99)}.{rng.randint(1, 9)}",
                y=rng.randint(1950, 2030), p=rng.randint(1, 60), m=rng.choice(_MONTHS), e=rng.randint(100, 999),
            ).translate(rng.choice(_SCRIPTS))
        lines.append(line)
        size += len(line.encode()) + 1
        if sum(len(x.encode()) for x in lines) >= 2048:
            articles.append("\n".join(lines))
            lines = []
    if lines:
        articles.append("\n".join(lines))
    return articles


def _best_seconds(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Print KB/s of numbers-rules, pyarabic's extract_number_phrases and the numbers-pyarabic peer."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size-kb", type=float, default=200.0)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--dense", action="store_true", help="only sentences with numbers (the worst case)")
    args = p.parse_args(argv)
    articles = build_input(args.size_kb, dense=args.dense)
    items = [{"id": f"perf-{i}", "text": t, "targets": []} for i, t in enumerate(articles)]
    kb = sum(len(t.encode()) for t in articles) / 1024
    rules, peer = systems.get("numbers-rules"), systems.get("numbers-pyarabic")
    runs = {
        "numbers-rules": lambda: [rules(i) for i in items],
        "pyarabic extract_number_phrases": lambda: [pyarabic_number.extract_number_phrases(t) for t in articles],
        "numbers-pyarabic (peer system)": lambda: [peer(i) for i in items],
    }
    speed = {name: kb / _best_seconds(run, args.repeat) for name, run in runs.items()}
    found = sum(len(rules(i)["numbers"]) for i in items)
    print(f"input: {kb:.1f} KB in {len(articles)} articles, {found / kb:.1f} numbers per KB (numbers-rules), "
          f"best of {args.repeat} runs, one core")
    for name, kbs in speed.items():
        print(f"{name:34} {kbs:10.1f} KB/s")
    base = speed["pyarabic extract_number_phrases"]
    print(f"ratio numbers-rules / extract_number_phrases: {speed['numbers-rules'] / base:.2f}")
    print(f"ratio numbers-rules / numbers-pyarabic:       {speed['numbers-rules'] / speed[list(speed)[2]]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
