"""Fold radical and compatibility code points to the unified ideographs they show.

PDF fonts (WPS and Word exports above all) often map a glyph to a *radical* code
point instead of the ideograph it draws: 一 comes out as ⼀ (U+2F00 KANGXI
RADICAL ONE), 长 as ⻓ (U+2ED3 CJK RADICAL C-SIMPLIFIED LONG), 门 as ⻔. The text
looks right but no label matches. :func:`fold` maps them back:

* Kangxi Radicals (U+2F00–U+2FD5) and the CJK Compatibility Ideographs
  (U+F900–U+FAFF, U+2F800–U+2FA1F) — by their NFKC decomposition, computed from
  :mod:`unicodedata` when this module is imported (the handful of compatibility
  code points that are unified ideographs themselves, like U+FA0E, have none and
  stay);
* CJK Radicals Supplement (U+2E80–U+2EF3) — NFKC decomposes only ⺟ and ⻳, so
  :data:`RADICALS_SUPPLEMENT` is a hand-made table. It was written from the
  Unicode character names (``unicodedata.name``: "CJK RADICAL C-SIMPLIFIED
  GATE" → 门) and the radicals' reference glyphs, following the mapping of the
  UCD file ``EquivalentUnifiedIdeograph.txt``; it lists every radical that stands
  for a character or a component with an ideograph of its own. Two deliberate
  choices: ⺼ (MEAT, drawn as 月) folds to 月, the character a PDF means by it;
  forms with no clear single ideograph (⺀ REPEAT, ⺈ KNIFE ONE, the LAME and
  NET FOUR/MESH forms …) are left as they are.

Everything else is returned unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

#: CJK Radicals Supplement → unified ideograph (see the module docstring).
RADICALS_SUPPLEMENT: dict[str, str] = {
    "\u2e81": "厂",  # CLIFF
    "\u2e82": "乛",  # SECOND ONE
    "\u2e83": "乚",  # SECOND TWO
    "\u2e84": "乙",  # SECOND THREE
    "\u2e85": "亻",  # PERSON
    "\u2e86": "冂",  # BOX
    "\u2e87": "\U00020628",  # TABLE 𠘨
    "\u2e89": "刂",  # KNIFE TWO
    "\u2e8a": "卜",  # DIVINATION
    "\u2e8b": "㔾",  # SEAL
    "\u2e8c": "小",  # SMALL ONE
    "\u2e8d": "小",  # SMALL TWO
    "\u2e92": "巳",  # SNAKE
    "\u2e93": "幺",  # THREAD
    "\u2e94": "彑",  # SNOUT ONE
    "\u2e95": "彐",  # SNOUT TWO
    "\u2e96": "忄",  # HEART ONE
    "\u2e97": "㣺",  # HEART TWO
    "\u2e98": "扌",  # HAND
    "\u2e99": "攵",  # RAP
    "\u2e9b": "旡",  # CHOKE
    "\u2e9c": "日",  # SUN
    "\u2e9d": "月",  # MOON
    "\u2e9e": "歺",  # DEATH
    "\u2e9f": "母",  # MOTHER (also NFKC)
    "\u2ea0": "民",  # CIVILIAN
    "\u2ea1": "氵",  # WATER ONE
    "\u2ea2": "氺",  # WATER TWO
    "\u2ea3": "灬",  # FIRE
    "\u2ea4": "爫",  # PAW ONE
    "\u2ea6": "丬",  # SIMPLIFIED HALF TREE TRUNK
    "\u2ea7": "牛",  # COW
    "\u2ea8": "犭",  # DOG
    "\u2ea9": "王",  # JADE
    "\u2eaa": "疋",  # BOLT OF CLOTH
    "\u2eac": "示",  # SPIRIT ONE
    "\u2ead": "礻",  # SPIRIT TWO
    "\u2eae": "竹",  # BAMBOO
    "\u2eaf": "糹",  # SILK
    "\u2eb0": "纟",  # C-SIMPLIFIED SILK
    "\u2eb1": "罓",  # NET ONE
    "\u2eb2": "罒",  # NET TWO
    "\u2eb3": "㓁",  # NET THREE
    "\u2eb6": "羊",  # SHEEP
    "\u2eb9": "耂",  # OLD
    "\u2eba": "肀",  # BRUSH ONE
    "\u2ebc": "月",  # MEAT (drawn as 月; the UCD file says 肉)
    "\u2ebd": "臼",  # MORTAR
    "\u2ebe": "艹",  # GRASS ONE
    "\u2ebf": "艹",  # GRASS TWO
    "\u2ec0": "艹",  # GRASS THREE
    "\u2ec1": "虎",  # TIGER
    "\u2ec2": "衤",  # CLOTHES
    "\u2ec3": "覀",  # WEST ONE
    "\u2ec4": "西",  # WEST TWO
    "\u2ec5": "见",  # C-SIMPLIFIED SEE
    "\u2ec6": "角",  # SIMPLIFIED HORN
    "\u2ec7": "\U000278b2",  # HORN 𧢲
    "\u2ec8": "讠",  # C-SIMPLIFIED SPEECH
    "\u2ec9": "贝",  # C-SIMPLIFIED SHELL
    "\u2eca": "足",  # FOOT
    "\u2ecb": "车",  # C-SIMPLIFIED CART
    "\u2ecc": "辶",  # SIMPLIFIED WALK
    "\u2ecd": "辶",  # WALK ONE
    "\u2ece": "辶",  # WALK TWO
    "\u2ecf": "阝",  # CITY
    "\u2ed0": "钅",  # C-SIMPLIFIED GOLD
    "\u2ed1": "長",  # LONG ONE
    "\u2ed2": "镸",  # LONG TWO
    "\u2ed3": "长",  # C-SIMPLIFIED LONG
    "\u2ed4": "门",  # C-SIMPLIFIED GATE
    "\u2ed5": "阝",  # MOUND ONE
    "\u2ed6": "阝",  # MOUND TWO
    "\u2ed7": "雨",  # RAIN
    "\u2ed8": "青",  # BLUE
    "\u2ed9": "韦",  # C-SIMPLIFIED TANNED LEATHER
    "\u2eda": "页",  # C-SIMPLIFIED LEAF
    "\u2edb": "风",  # C-SIMPLIFIED WIND
    "\u2edc": "飞",  # C-SIMPLIFIED FLY
    "\u2edd": "食",  # EAT ONE
    "\u2ede": "\U0002967f",  # EAT TWO 𩙿
    "\u2edf": "飠",  # EAT THREE
    "\u2ee0": "饣",  # C-SIMPLIFIED EAT
    "\u2ee1": "首",  # HEAD
    "\u2ee2": "马",  # C-SIMPLIFIED HORSE
    "\u2ee3": "骨",  # BONE
    "\u2ee4": "鬼",  # GHOST
    "\u2ee5": "鱼",  # C-SIMPLIFIED FISH
    "\u2ee6": "鸟",  # C-SIMPLIFIED BIRD
    "\u2ee7": "卤",  # C-SIMPLIFIED SALT
    "\u2ee8": "麦",  # SIMPLIFIED WHEAT
    "\u2ee9": "黄",  # SIMPLIFIED YELLOW
    "\u2eea": "黾",  # C-SIMPLIFIED FROG
    "\u2eeb": "斉",  # J-SIMPLIFIED EVEN
    "\u2eec": "齐",  # C-SIMPLIFIED EVEN
    "\u2eed": "歯",  # J-SIMPLIFIED TOOTH
    "\u2eee": "齿",  # C-SIMPLIFIED TOOTH
    "\u2eef": "竜",  # J-SIMPLIFIED DRAGON
    "\u2ef0": "龙",  # C-SIMPLIFIED DRAGON
    "\u2ef1": "龜",  # TURTLE
    "\u2ef2": "亀",  # J-SIMPLIFIED TURTLE
    "\u2ef3": "龟",  # C-SIMPLIFIED TURTLE (also NFKC)
}

#: The code point ranges folded by their NFKC form.
_NFKC_RANGES = ((0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _nfkc_table() -> dict[int, str]:
    """Code point → its NFKC form, for the ranges that NFKC maps to one ideograph."""
    table: dict[int, str] = {}
    for first, last in _NFKC_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded != char and len(folded) == 1:
                table[code] = folded
    return table


#: The ``str.translate`` table :func:`fold` uses.
FOLD_TABLE: dict[int, str] = {
    **_nfkc_table(),
    **{ord(radical): ideograph for radical, ideograph in RADICALS_SUPPLEMENT.items()},
}


def fold(text: str) -> str:
    """``text`` with radical and compatibility code points replaced by the unified
    ideographs they stand for (⼀→一, ⻓→长, ⻔→门); everything else unchanged."""
    return text.translate(FOLD_TABLE)


#: CJK ideographs, radicals, CJK and full-width punctuation: text where a space
#: between two characters is layout, not a word break.
CJK = "\u2e80-\u2fff\u3001-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_CJK_CHAR = re.compile(f"[{CJK}]")


def is_cjk(char: str) -> bool:
    """Is ``char`` a CJK ideograph, CJK punctuation or a full-width form?"""
    return _CJK_CHAR.match(char) is not None


def join_pieces(pieces: Iterable[str]) -> str:
    """Pieces of one text (paragraphs, lines of a cell) joined: nothing between two
    CJK characters (``商业`` + ``企业`` → ``商业企业``), one space otherwise; empty
    pieces dropped."""
    out = ""
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(piece[0])):
            out += " "
        out += piece
    return out


def display_width(text: str, ambiguous: int = 1) -> int:
    """How many terminal columns ``text`` takes: two for a wide or full-width character,
    ``ambiguous`` for one of ambiguous width (“ ” ①), one for the others."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c, ambiguous) for c in text)


def display_columns(text: str, ambiguous: int = 1) -> list[int]:
    """The display column each character of ``text`` starts at, and where it ends (one
    more item than characters): ``display_columns(t)[k] == display_width(t[:k])``."""
    if text.isascii():
        return list(range(len(text) + 1))
    return list(accumulate((_char_width(c, ambiguous) for c in text), initial=0))


@lru_cache(maxsize=8192)
def _char_width(char: str, ambiguous: int) -> int:
    return {"W": 2, "F": 2, "A": ambiguous}.get(unicodedata.east_asian_width(char), 1)
