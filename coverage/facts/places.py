"""Places as facts: the state whose law governs, the courts that hear disputes, where a party sits.

A summary that says "governed by the laws of Delaware" where the contract says
New York reads almost exactly like the truth, to an encoder and to a word
count alike, and the contract usually names Delaware somewhere else (a party's
state of incorporation), so the place is not *absent* either. What gives it
away is the clause it talks about: the governing-law clause names another
place. This module finds places so that :mod:`.align` can compare them the way
it compares numbers, clause against aligned clause.

A place is found from a fixed list (no model): the US states and territories,
Canada's provinces, the countries and legal systems contracts cite, major
cities, and China's provinces, municipalities and large cities (Chinese and
English names share one canonical value, so "Beijing" matches 北京 across
languages). Also found: a US state's postal code right before a ZIP code
("Austin, TX 78701"), and an adjective of a country before "law", "courts" or
"jurisdiction" ("English law").

Canonical values are lower-case English names: ``"new york"``, ``"england"``,
``"china"``. Two places *agree* when equal or when one lies within the other
("San Francisco" is in California, which is in the United States; 深圳 in 广东);
they *conflict* otherwise. Hong Kong, Macau and Taiwan are their own legal
systems and lie within nothing here.

Not a place: a listed name inside a longer proper name ("Bank of America",
"Texas Instruments", "George Washington University"), and ambiguous names
(Jersey, Victoria, Wilmington, Portland) that are left out of the list.

Example:
    >>> text = "Governed by the laws of the State of New York; venue in Austin, TX 78701."
    >>> [(p.value, p.text) for p in find_places(text)]
    [('new york', 'New York'), ('austin', 'Austin'), ('texas', 'TX')]
    >>> places_agree("san francisco", "united states"), places_agree("delaware", "new york")
    (True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Place", "find_places", "place_within", "places_agree"]

_US = "united states"
_STATES = [
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
    "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
    "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
    "Missouri", "Montana", "Nebraska", "Nevada", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "Wisconsin", "Wyoming",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Rhode Island", "South Carolina", "South Dakota", "West Virginia", "District of Columbia",
    "Puerto Rico",
]  # fmt: skip
_POSTAL = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "FL": "florida", "GA": "georgia",
    "HI": "hawaii", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas",
    "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland", "MA": "massachusetts",
    "MI": "michigan", "MN": "minnesota", "MS": "mississippi", "MO": "missouri", "MT": "montana",
    "NE": "nebraska", "NV": "nevada", "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico",
    "NY": "new york", "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma",
    "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina",
    "SD": "south dakota", "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont",
    "VA": "virginia", "WA": "washington", "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming",
    "DC": "district of columbia",
}  # fmt: skip
_PROVINCES_CA = [
    "Ontario", "Quebec", "British Columbia", "Alberta", "Manitoba", "Saskatchewan", "Nova Scotia",
    "New Brunswick", "Newfoundland", "Prince Edward Island", "Yukon",
]  # fmt: skip
_UK_PARTS = ["England", "Scotland", "Wales", "Northern Ireland"]
_COUNTRIES = [
    "Canada", "Mexico", "Brazil", "Argentina", "Chile", "Colombia", "Peru", "Ireland", "France",
    "Germany", "Italy", "Spain", "Portugal", "Netherlands", "Belgium", "Luxembourg", "Switzerland",
    "Austria", "Sweden", "Norway", "Denmark", "Finland", "Iceland", "Poland", "Czech Republic",
    "Hungary", "Romania", "Greece", "Cyprus", "Malta", "Israel", "Turkey", "Russia", "Ukraine",
    "India", "China", "Japan", "South Korea", "Korea", "Taiwan", "Hong Kong", "Macau", "Singapore",
    "Malaysia", "Thailand", "Vietnam", "Indonesia", "Philippines", "Australia", "New Zealand",
    "South Africa", "Nigeria", "Kenya", "Egypt", "Saudi Arabia", "United Arab Emirates", "Qatar",
    "Bermuda", "Cayman Islands", "British Virgin Islands", "Bahamas", "Barbados", "Panama",
]  # fmt: skip
_ALIASES = {
    "United States of America": _US, "United States": _US, "U.S.A.": _US, "U.S.": _US, "USA": _US,
    "United Kingdom": "united kingdom", "Great Britain": "united kingdom", "U.K.": "united kingdom",
    "UK": "united kingdom", "People's Republic of China": "china", "People’s Republic of China": "china",
    "PRC": "china", "P.R.C.": "china", "Mainland China": "china", "Republic of Korea": "south korea",
    "Korea": "south korea", "The Netherlands": "netherlands", "Holland": "netherlands",
    "UAE": "united arab emirates", "Hong Kong SAR": "hong kong", "Washington, D.C.": "district of columbia",
    "Washington D.C.": "district of columbia", "New York City": "new york", "Manhattan": "new york city",
    "Brooklyn": "new york city", "Macao": "macau", "Québec": "quebec", "Viet Nam": "vietnam",
}  # fmt: skip
# city -> the place it lies in (only names with one well-known reading)
_CITIES = {
    "Los Angeles": "california", "San Francisco": "california", "San Diego": "california",
    "San Jose": "california", "Palo Alto": "california", "Santa Clara": "california",
    "Sacramento": "california", "Chicago": "illinois", "Houston": "texas", "Dallas": "texas",
    "Austin": "texas", "San Antonio": "texas", "Boston": "massachusetts", "Seattle": "washington",
    "Miami": "florida", "Orlando": "florida", "Atlanta": "georgia", "Denver": "colorado",
    "Philadelphia": "pennsylvania", "Pittsburgh": "pennsylvania", "Las Vegas": "nevada",
    "Reno": "nevada", "Phoenix": "arizona", "Minneapolis": "minnesota", "Detroit": "michigan",
    "Salt Lake City": "utah", "Baltimore": "maryland", "Nashville": "tennessee",
    "New Orleans": "louisiana", "Toronto": "ontario", "Ottawa": "ontario", "Montreal": "quebec",
    "Vancouver": "british columbia", "Calgary": "alberta", "London": "england",
    "Manchester": "england", "Edinburgh": "scotland", "Glasgow": "scotland", "Dublin": "ireland",
    "Paris": "france", "Berlin": "germany", "Munich": "germany", "Frankfurt": "germany",
    "Amsterdam": "netherlands", "Geneva": "switzerland", "Zurich": "switzerland",
    "Stockholm": "sweden", "Madrid": "spain", "Milan": "italy", "Rome": "italy", "Tokyo": "japan",
    "Osaka": "japan", "Seoul": "south korea", "Mumbai": "india", "Bangalore": "india",
    "New Delhi": "india", "Sydney": "australia", "Melbourne": "australia", "Tel Aviv": "israel",
    "Dubai": "united arab emirates", "Beijing": "china", "Shanghai": "china", "Tianjin": "china",
    "Chongqing": "china", "Shenzhen": "guangdong", "Guangzhou": "guangdong",
    "Hangzhou": "zhejiang", "Nanjing": "jiangsu", "Suzhou": "jiangsu", "Chengdu": "sichuan",
    "Wuhan": "hubei", "Xiamen": "fujian",
}  # fmt: skip
_PROVINCES_CN = [
    "Guangdong", "Zhejiang", "Jiangsu", "Shandong", "Sichuan", "Hubei", "Hunan", "Henan", "Hebei",
    "Fujian", "Anhui", "Liaoning", "Jilin", "Heilongjiang", "Shaanxi", "Shanxi", "Jiangxi", "Yunnan",
    "Guizhou", "Guangxi", "Hainan", "Gansu",
]  # fmt: skip
_ZH = {
    "中华人民共和国": "china", "中国": "china", "北京": "beijing", "上海": "shanghai", "天津": "tianjin",
    "重庆": "chongqing", "深圳": "shenzhen", "广州": "guangzhou", "杭州": "hangzhou", "南京": "nanjing",
    "苏州": "suzhou", "成都": "chengdu", "武汉": "wuhan", "厦门": "xiamen", "香港": "hong kong",
    "澳门": "macau", "台湾": "taiwan", "新加坡": "singapore", "美国": _US, "英国": "united kingdom",
    "日本": "japan", "德国": "germany", "法国": "france", "韩国": "south korea", "加拿大": "canada",
    "澳大利亚": "australia", "瑞士": "switzerland", "广东": "guangdong", "浙江": "zhejiang",
    "江苏": "jiangsu", "山东": "shandong", "四川": "sichuan", "湖北": "hubei", "湖南": "hunan",
    "河南": "henan", "河北": "hebei", "福建": "fujian", "安徽": "anhui", "辽宁": "liaoning",
    "吉林": "jilin", "黑龙江": "heilongjiang", "陕西": "shaanxi", "山西": "shanxi", "江西": "jiangxi",
    "云南": "yunnan", "贵州": "guizhou", "广西": "guangxi", "海南": "hainan", "甘肃": "gansu",
}  # fmt: skip
_ADJECTIVES = {
    "English": "england", "Scottish": "scotland", "British": "united kingdom", "Irish": "ireland",
    "French": "france", "German": "germany", "Swiss": "switzerland", "Dutch": "netherlands",
    "Italian": "italy", "Spanish": "spain", "Swedish": "sweden", "Canadian": "canada",
    "American": _US, "Chinese": "china", "Japanese": "japan", "Korean": "south korea",
    "Indian": "india", "Australian": "australia", "Singaporean": "singapore",
    "Singapore": "singapore", "Hong Kong": "hong kong", "Israeli": "israel", "Brazilian": "brazil",
    "Mexican": "mexico", "Californian": "california",
}  # fmt: skip

_PARENT: dict[str, str] = {
    **{s.lower(): _US for s in _STATES},
    **{p.lower(): "canada" for p in _PROVINCES_CA},
    **{p.lower(): "united kingdom" for p in _UK_PARTS},
    **{p.lower(): "china" for p in _PROVINCES_CN},
    **{c.lower(): parent for c, parent in _CITIES.items()},
    "new york city": "new york",
    "puerto rico": "",  # a territory with its own courts: lies within nothing here
}
_PARENT = {k: v for k, v in _PARENT.items() if v and k != v}

_NAMES: dict[str, str] = {
    **{s: s.lower() for s in [*_STATES, *_PROVINCES_CA, *_UK_PARTS, *_COUNTRIES, *_PROVINCES_CN]},
    **{c: c.lower() for c in _CITIES},
    **_ALIASES,
}
# Capitalised words that may stand next to a place inside the same name: "State of New York",
# "County of Santa Clara", "Courts of England", "Laws of Delaware", "New York County".
_FRAME = frozenset(
    [
        "State",
        "States",
        "Commonwealth",
        "Republic",
        "Kingdom",
        "Province",
        "County",
        "City",
        "District",
        "Borough",
        "Courts",
        "Court",
        "Laws",
        "Law",
        "Government",
        "Territory",
        "Southern",
        "Northern",
        "Eastern",
        "Western",
        "Central",
        "Federal",
        "Superior",
        "Supreme",
        "Chancery",
        "Circuit",
        "Appeals",
        "Division",
        "Bankruptcy",
        "Arbitration",
        "Centre",
        "Center",
        "International",
        "Chamber",
        "Commerce",
        "Rules",
        "Code",
        "Act",
        "The",
        "Statutes",
        "Constitution",
        "Of",
        "And",
        "Mainland",
        "Special",
        "Administrative",
        "Region",
        "SAR",
        "Corporation",
        "Corp",
        "Limited",
        "Ltd",
        "LLC",
        "Partnership",
        "Company",
        "Incorporated",
        "Organized",
        "Organised",
        "In",
        "At",
        "By",
        "Under",
        "From",
        "To",
        "For",
        "With",
        "Within",
        "A",
        "An",
        "This",
        "That",
        "These",
        "Those",
        "Both",
        "Each",
        "Either",
        "Or",
        "Per",
        "Via",
        "Between",
        "Any",
        "All",
        "Its",
        "Their",
        "His",
        "Her",
        "Our",
        "Your",
        "Such",
        "Said",
        "Is",
        "Are",
        "Was",
        "Were",
        "Be",
        "Been",
        "Located",
        "Based",
        "Headquartered",
        "Principal",
        "Office",
        "Offices",
        "Address",
        "Agreement",
    ]
)
_NAMES.update({n.upper(): v for n, v in list(_NAMES.items()) if len(n) > 4})  # "THE STATE OF NEW YORK"
_PLACE_RE = re.compile(
    r"(?<![\w’'])(?:" + "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True)) + r")(?![\w’'])"
)
_ZH_RE = re.compile("|".join(sorted(_ZH, key=len, reverse=True)))
_REGION_BEFORE_COUNTRIES = frozenset("欧拉南北亚非英法德美中展")
"""Characters before a name ending in 国 that make its 国 the start of 国家 ("countries"):
欧美国家 (Western countries), 发展中国家 (developing countries), not 美国 or 中国."""


def _countries_word(text: str, start: int, end: int) -> bool:
    """Whether a Chinese match ending in 国 is part of a word for "countries" (…国家)."""
    return (
        text[end - 1] == "国"
        and text[end : end + 1] == "家"
        and start > 0
        and text[start - 1] in _REGION_BEFORE_COUNTRIES
    )


_POSTAL_RE = re.compile(r",\s*(" + "|".join(_POSTAL) + r")\.?\s+\d{5}(?:-\d{4})?\b")
_ADJ_RE = re.compile(
    r"\b(" + "|".join(re.escape(a) for a in sorted(_ADJECTIVES, key=len, reverse=True)) + r")"
    r"\s+(?:law|laws|courts?|jurisdiction|arbitration)\b"
)
_CAP_BEFORE = re.compile(r"([A-Z][\w’'&.-]*)\s+(?:(?i:of)\s+(?:(?i:the)\s+)?)?$")
_CAP_AFTER = re.compile(r"\s+([A-Z][\w’'&-]*)")


@dataclass(frozen=True, slots=True)
class Place:
    """A place a text names.

    Attributes:
        value: Canonical lower-case English name (``"new york"``, ``"china"``).
        start: Offset of the first character.
        end: Offset after the last character.
        text: The place as written (``"State of New York"`` is found as ``"New York"``).
    """

    value: str
    start: int
    end: int
    text: str


def _inside_other_name(text: str, start: int, end: int) -> bool:
    """Whether a listed name is part of a longer proper name ("Bank of America", "Texas Instruments")."""
    before = _CAP_BEFORE.search(text, max(0, start - 40), start)
    if before is not None and before.group(1)[-1] not in ".," and not _may_frame(before.group(1)):
        return True
    after = _CAP_AFTER.match(text, end, min(len(text), end + 40))
    return after is not None and not _may_frame(after.group(1))


def _may_frame(word: str) -> bool:
    """Whether a capitalised word may stand next to a place without making it part of another name."""
    word = word.rstrip(".,")
    return word.capitalize() in _FRAME or word in _FRAME or word in _NAMES


@lru_cache(maxsize=256)
def find_places(text: str) -> tuple[Place, ...]:
    """The places ``text`` names, in text order, without overlaps (see the module docstring)."""
    found: list[Place] = []
    taken = bytearray(len(text))

    def add(value: str, a: int, b: int) -> None:
        if taken.find(1, a, b) == -1:
            taken[a:b] = b"\x01" * (b - a)
            found.append(Place(value, a, b, text[a:b]))

    for m in _ADJ_RE.finditer(text):
        add(_ADJECTIVES[m.group(1)], m.start(1), m.end(1))
    for m in _POSTAL_RE.finditer(text):
        add(_POSTAL[m.group(1)], m.start(1), m.end(1))
    for m in _PLACE_RE.finditer(text):
        if m.group().isupper() or not _inside_other_name(text, m.start(), m.end()):  # all caps: no cue
            add(_NAMES[m.group()], m.start(), m.end())
    for m in _ZH_RE.finditer(text):
        if not _countries_word(text, m.start(), m.end()):
            add(_ZH[m.group()], m.start(), m.end())
    return tuple(sorted(found, key=lambda p: p.start))


@lru_cache(maxsize=1024)
def _ancestors(value: str) -> frozenset[str]:
    out = {value}
    while value in _PARENT and _PARENT[value] not in out:
        value = _PARENT[value]
        out.add(value)
    return frozenset(out)


def places_agree(a: str, b: str) -> bool:
    """Whether two canonical places state the same thing: equal, or one lies within the other."""
    return a in _ancestors(b) or b in _ancestors(a)


def place_within(inner: str, outer: str) -> bool:
    """Whether canonical place ``inner`` is ``outer`` or lies within it.

    Example:
        >>> place_within("austin", "texas"), place_within("texas", "austin")
        (True, False)
    """
    return outer in _ancestors(inner)
