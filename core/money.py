"""Money as Chinese documents write it."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def tax_split(amount: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(net, tax) of a tax-inclusive ``amount`` at VAT ``rate``: net = amount ÷ (1 + rate) rounded
    half up to the fen, tax = amount − net, so the two make the amount exactly."""
    net = (amount / (1 + rate)).quantize(FEN, rounding=ROUND_HALF_UP)
    return net, amount - net


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """Up to four digits (1–9999) with their places, one 零 for a run of inner zeros, none at the end."""
    text, zeros = "", False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zeros = bool(text)
            continue
        if zeros:
            text += "零"
            zeros = False
        text += _DIGITS[digit] + _PLACES[place]
    return text


def amount_in_capitals(amount: Decimal) -> str:
    """The amount in Chinese capitals (大写) as banks require: 12,345.67 is 壹万贰仟叁佰肆拾伍元陆角柒分;
    a sum to the yuan or the jiao ends in 整; 零 stands for skipped places (壹仟零伍元, 壹拾元零伍分)."""
    fen_total = int((abs(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    groups, integer = [], yuan
    while integer:
        groups.append(integer % 10000)
        integer //= 10000
    text = ""
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        if text and (group < 1000 or groups[index + 1] == 0):
            text += "零"
        text += _group(group) + _GROUPS[index]
    if text:
        text += "元"
    if jiao == 0 and fen == 0:
        text = (text or "零元") + "整"
    elif jiao == 0:
        text += ("零" if text else "") + _DIGITS[fen] + "分"
    else:
        text += _DIGITS[jiao] + "角" + (_DIGITS[fen] + "分" if fen else "整")
    return ("负" if amount < 0 else "") + text


def fen(value) -> Decimal:
    """A sum read from the database (None when nothing was summed) as money: two places."""
    return Decimal(value or 0).quantize(FEN)
