"""Values of digit strings in the three digit scripts, with Arabic and Western decimal and group marks."""

from __future__ import annotations

import math

DIGIT_CLASS = "0-9٠-٩۰-۹"
_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.", "٬")


def parse_digits(s: str) -> float | None:
    """The value of a run of digits, or None when it is not a finite number.

    ``٫`` is always a decimal mark and ``٬`` always a group mark. With both ``,`` and ``.`` the later one is the
    decimal mark. A lone ``,`` separates groups when every group after the first has three digits
    (``1,500``) and is a decimal mark otherwise (``2,5``); several dots are group marks (``1.000.000``).
    """
    s = s.translate(_TO_ASCII)
    if "," in s and "." in s:
        s = s.replace(",", "") if s.rfind(".") > s.rfind(",") else s.replace(".", "").replace(",", ".")
    elif "," in s:
        head, *groups = s.split(",")
        if len(groups) == 1 and (len(groups[0]) != 3 or not 1 <= len(head) <= 3):
            s = f"{head}.{groups[0]}"
        else:
            s = s.replace(",", "")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
