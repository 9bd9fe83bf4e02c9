"""China's administrative divisions (province, prefecture, county level), from jionlp's maintained
list, loaded once on first use: look a place up by its full or short name, or find the places a
text names.

Example: lookup("繁峙") -> Place(name="繁峙县", province="山西省", city="忻州市", county="繁峙县", level="县")
         find("忻州市和池州2023年GDP") -> [Place(name="忻州市", level="地级市", …), Place(name="池州市", …)]
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from corpus.clean import normalize

NATION_NAMES = ("全国", "我国", "中国", "全中国")  # how a report or a question names the nation
_COUNTY_LEVELS = ("自治县", "自治旗", "林区", "特区", "县", "旗", "区", "市")
_CITY_LEVELS = ("自治州", "地区", "盟", "市")
_LONGEST = 12


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # full name: "繁峙县"
    province: str  # "山西省"
    city: str  # prefecture: "忻州市" ("" for a province)
    county: str  # county-level place ("" above that level)
    level: str  # 省 自治区 直辖市 | 地级市 自治州 地区 盟 | 县 县级市 区 旗 自治县 自治旗 …
    code: str  # administrative division code

    @property
    def path(self) -> str:
        return "".join(dict.fromkeys(p for p in (self.province, self.city, self.county) if p))


NATION = Place("全国", "", "", "", "全国", "100000")  # the State Council's report speaks for it
PROVINCE_LEVELS = ("省", "自治区", "直辖市", "特别行政区")
CITY_LEVELS = ("地级市", "自治州", "地区", "盟")


def tier(level: str) -> int:
    """0 the nation, 1 a province, 2 a prefecture, 3 a county-level place. Example: tier("县级市") -> 3"""
    return 0 if level == "全国" else 1 if level in PROVINCE_LEVELS else 2 if level in CITY_LEVELS else 3


def scope(word: str, home: Place | None) -> str:
    """The place a report's own scope word speaks for, by the report's place.

    Example: in 代县's report (忻州市, 山西省): scope("全省") -> "山西省", scope("全市") -> "忻州市",
             scope("全县") -> "代县", scope("全国") -> "全国"; in 侯马市's: scope("全市") -> "侯马市".
    "" when the word names no level the report knows (a place of unknown level).
    """
    last = word[-1]
    if last == "国":
        return NATION.name
    if home is None:
        return ""
    own = tier(home.level)
    if last == "省":
        return home.province if own >= 1 else ""
    if last in "县旗":
        return home.name if own == 3 else ""
    if last == "市":
        if home.level in ("县级市", "地级市", "直辖市"):
            return home.name
        return (home.city or home.province) if own == 3 else ""
    if last == "区":
        if home.level in ("区", "自治区") or own == 3 and home.level.endswith("区"):
            return home.name
        return home.province if home.province.endswith("自治区") else ""
    if last in "州盟":
        return home.name if home.level in ("自治州", "盟") else home.city if own == 3 else ""
    return ""


def _level(name: str, depth: int) -> str:
    if depth == 0:
        return "直辖市" if name.endswith("市") else "自治区" if name.endswith("自治区") else "省" if name.endswith("省") else "特别行政区"
    suffixes = _CITY_LEVELS if depth == 1 else _COUNTY_LEVELS
    found = next((s for s in suffixes if name.endswith(s)), "")
    return {"市": "地级市" if depth == 1 else "县级市"}.get(found, found)


def _usable_alias(alias: str, full: str, level: str) -> bool:
    """A short form people use on its own: "繁峙", "池州", "侯马". District short forms ("和平",
    "城") read as ordinary words, so a district is found only by its full name."""
    return len(alias) >= 2 and alias != full and level not in ("区",)


@functools.cache
def _index() -> dict[str, tuple[Place, ...]]:
    """name or short form -> places (several when a name repeats: 朝阳区 in Beijing and Changchun)."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # jionlp greets on stdout, which is our --json output
        import jionlp

    out: dict[str, list[Place]] = {}

    def add(place: Place, alias: str | list | None) -> None:
        names = [place.name] + ([alias] if isinstance(alias, str) else list(alias or []))
        if place.level == "区" and len(place.name) <= 2:
            return  # 城区, 郊区, 矿区: ordinary words far more often than places
        for name in names:
            if name == place.name or _usable_alias(name, place.name, place.level):
                if len(name) >= 2 and place not in out.setdefault(name, []):
                    out[name].append(place)

    for province, pv in jionlp.china_location_loader().items():
        p = Place(province, province, "", "", _level(province, 0), str(pv.get("_admin_code", "")))
        add(p, pv.get("_alias"))
        for city, cv in pv.items():
            if city.startswith("_"):
                continue
            if city != province:  # a municipality repeats itself as its city
                alias = cv.get("_alias")
                aliases = [alias] if isinstance(alias, str) else list(alias or [])
                if city.endswith("自治州"):
                    aliases += [a + "州" for a in aliases if not a.endswith("州")]  # 黔东南州, 凉山州: as reports name them
                if city.endswith("盟") and len(city) >= 4:
                    aliases.append(city[0] + "盟")  # 锡盟, 阿盟: as 内蒙古 names its leagues
                add(Place(city, province, city, "", _level(city, 1), str(cv.get("_admin_code", ""))), aliases)
            for county, kv in cv.items():
                if county.startswith("_"):
                    continue
                # 天门市, 济源市: county-level cities under the province itself, in no prefecture
                prefecture = "" if "直辖" in city else city
                add(Place(county, province, prefecture, county, _level(county, 2), str(kv.get("_admin_code", ""))),
                    kv.get("_alias"))
    return {name: tuple(places) for name, places in out.items()}


@functools.cache
def short_forms(name: str) -> frozenset[str]:
    """The other names the national list gives a place. Example: short_forms("广西壮族自治区") -> {"广西", …}"""
    return frozenset(alias for alias, places in _index().items() if alias != name and any(p.name == name for p in places))


def names() -> list[str]:
    """Every name and alias in the national list of divisions (~4,000 names with their short forms)."""
    return list(_index())


def lookup(name: str, within: str = "") -> Place | None:
    """The place a name means; `within` (a province or prefecture) settles repeated names. A
    district that was a county or county-level city until recently ("湟中区", 湟中县 until 2019)
    is found under its old entry, with its new name and level."""
    name = normalize(name.strip())
    if name in NATION_NAMES:
        return NATION
    places = _index().get(name, ())
    if not places and name.endswith("区") and len(name) >= 3:
        for old in (name[:-1] + "县", name[:-1] + "市"):
            former = lookup(old, within)
            if former is not None and former.level in ("县", "县级市"):
                return Place(name, former.province, former.city, name, "区", former.code)
    if within:
        places = tuple(p for p in places if within in (p.province, p.city)) or places
    return places[0] if places else None


def _boundaries(text: str) -> set[int]:
    """Positions where jieba's segmentation puts a word boundary."""
    import jieba

    jieba.setLogLevel(60)
    cuts, at = {0}, 0
    for word in jieba.cut(text, HMM=False):
        at += len(word)
        cuts.add(at)
    return cuts


def find(text: str) -> list[Place]:
    """Places a text names, longest name first at each position, in order of mention, once each
    time they are named: "临汾市侯马市" gives both; a repeated name gives the place under a place
    named before it, else its first one."""
    norm = normalize(text)
    index = _index()
    out: list[Place] = []
    cuts: set[int] | None = None
    i = 0
    while i < len(norm):
        for size in range(min(_LONGEST, len(norm) - i), 1, -1):
            places = index.get(norm[i : i + size])
            if places and size == 2 and all(p.name != norm[i: i + 2] for p in places):
                # a two-character short form must stand as a word: "相比如何" holds no 比如县
                cuts = _boundaries(norm) if cuts is None else cuts
                if i not in cuts or i + 2 not in cuts:
                    places = ()
            if places:
                # a repeated name is the one under a place named before it: 杭州市西湖区
                seen = {n for p in out for n in (p.province, p.city)}
                place = next((p for p in places if p.province in seen or p.city in seen), places[0])
                out.append(place)
                i += size
                break
        else:
            i += 1
    return out
