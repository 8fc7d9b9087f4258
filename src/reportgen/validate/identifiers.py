"""Identifiers that carry their own check: USCC (GB 32100-2015) and phone numbers."""

from __future__ import annotations

from functools import lru_cache

from reportgen.problems import Words

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> tuple[str, dict[str, str | Words]] | None:
    """None when ``code`` is a valid USCC, else (problem code, params)."""
    if len(code) != 18:
        return "E501", {
            "value": code,
            "detail": Words(f"应为 18 位，实际 {len(code)} 位", f"18 characters, not {len(code)}"),
        }
    bad = [ch for ch in code if ch not in _USCC_VALUE]
    if bad:
        return "E501", {
            "value": code,
            "detail": Words(f"含有不允许的字符“{bad[0]}”", f"it holds the character '{bad[0]}', which is not allowed"),
        }
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return "E502", {"value": code, "expected": expected}
    return None


@lru_cache(maxsize=4096)
def phone_problem(number: str) -> Words | None:
    """None when ``number`` is a valid Chinese mobile or landline, else why not."""
    import phonenumbers  # here: ~22 ms to import, and most checks after one edit meet no phone number

    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return Words("无法识别为电话号码", "not recognisable as a phone number")
    if parsed.country_code != 86:
        return Words("不是中国大陆号码", "not a mainland China number")
    if not phonenumbers.is_valid_number(parsed):
        digits = str(parsed.national_number)
        if digits.startswith("1"):
            return Words("手机号应为 1 开头的 11 位数字", "a mobile number is 11 digits starting with 1")
        return Words("区号或号码位数不对", "the area code or the number has the wrong number of digits")
    return None
