"""Merging across articles: reports of the same real event become one cluster.

Two reports (events of different articles) can be one event when they have the same PLOVER type, their date
windows are at most `days` apart, their places do not contradict each other, neither their actors nor their
targets contradict each other, and enough agrees positively (see `agreement`). The strongest pairs merge
first, and with complete linkage: two clusters join only if every report of one is compatible with every
report of the other and no article is in both, so chains of look-alikes do not snowball. Pairs are taken in a
canonical order (strength, then event ids), so the result depends on the stored events and the settings only,
never on the order articles were ingested; a cluster's id is a hash of its member event ids.

Syndicated copies (near-duplicate texts) form one story; a cluster's `sources` counts stories, `reports`
counts articles. Fatalities are reconciled across stories: the range of the figures and one best estimate,
never their sum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sitroom import settings
from sitroom.components import temporal
from sitroom.components.choices import PRECISION_ORDER
from sitroom.contract.schema import HAPPENED
from sitroom.errors import SitroomError
from sitroom.store import similarity
from sitroom.store.store import STALE_KEY, Store, insert_rows

PRECISE = frozenset({"point", "city"})
STATE_KINDS = frozenset({"state", "government", "military", "police"})
SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
FATALITY_RULES = ("latest", "median", "lowest")
SAME, UNKNOWN, DIFFERENT = "same", "unknown", "different"
# location rules that do not come from the event's own text
FALLBACK_PLACES = frozenset({"article", "actor", "setting"})
NEEDED = 2  # agreement points a pair needs, see `agreement`
# Tolls this far apart are two events (a strike's 19 dead and a war's 39,000), however alike the rest.
TOLL_RATIO = 10
TOLL_GAP = 50


@dataclass(frozen=True)
class MergeSettings:
    days: int = 1
    km: float = 50.0
    fatalities: str = "latest"
    similarity: float = 0.6

    @classmethod
    def from_settings(cls, **overrides: object) -> MergeSettings:
        values = {"days": settings.get("merge_days"), "km": settings.get("merge_km"),
                  "fatalities": settings.get("merge_fatalities"),
                  "similarity": settings.get("syndication_similarity")}
        values.update({k: v for k, v in overrides.items() if v is not None})
        chosen = cls(days=int(values["days"]), km=float(values["km"]), fatalities=str(values["fatalities"]),
                     similarity=float(values["similarity"]))
        chosen.check()
        return chosen

    def check(self) -> None:
        if self.fatalities not in FATALITY_RULES:
            raise SitroomError("E111", what="fatality rule", value=self.fatalities, hint="",
                               choices=", ".join(FATALITY_RULES))

    def as_dict(self) -> dict[str, object]:
        return {"days": self.days, "km": self.km, "fatalities": self.fatalities, "similarity": self.similarity}


@dataclass
class Report:
    """One event of one article, with what the merge needs."""

    id: str
    article_id: str
    story_id: str
    source: str | None
    published: dt.date | None
    type: str
    mode: str | None
    actor: tuple[str | None, str | None, str | None, frozenset[str]]   # id, kind, country, groups it is part of
    target: tuple[str | None, str | None, str | None, frozenset[str]]
    start: dt.date | None
    end: dt.date | None
    dated: bool                    # the window comes from the text, not from the publication date
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    status: str
    fatalities: int | None
    fatalities_qualifier: str | None
    fatalities_min: int | None
    fatalities_max: int | None
    injured: int | None
    injured_min: int | None
    injured_max: int | None
    confidence: float
    mentions: int = 1
    background: bool = False
    stated_place: bool = True      # False: the place is a fallback (the article's or a side's country)

    @property
    def place_country(self) -> str | None:
        """The country the text places the event in; a fallback country is no evidence for or against."""
        return self.country if self.stated_place else None


@dataclass
class Cluster:
    members: list[Report] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)

    def add(self, report: Report) -> None:
        self.members.append(report)
        self.articles.add(report.article_id)

    @property
    def id(self) -> str:
        return cluster_id(r.id for r in self.members)


def cluster_id(event_ids: object) -> str:
    joined = ",".join(sorted(event_ids))  # type: ignore[arg-type]
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Pairwise rules
# ---------------------------------------------------------------------------------------------

def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def windows_meet(a: Report, b: Report, days: int) -> bool:
    if a.start is None or b.start is None:
        return False
    gap = dt.timedelta(days=days)
    return a.start <= (b.end or b.start) + gap and b.start <= (a.end or a.start) + gap


def place_relation(a: Report, b: Report, km: float) -> str:
    """same: precise places within km; different: other countries or precise and farther; else unknown.
    Only places the text states count: a statement placed in the article's country by default says nothing
    about where another story's report of it happened."""
    if not (a.stated_place and b.stated_place):
        return UNKNOWN
    if a.country and b.country and a.country != b.country:
        return DIFFERENT
    if a.precision in PRECISE and b.precision in PRECISE and None not in (a.lat, a.lon, b.lat, b.lon):
        return SAME if haversine_km(a.lat, a.lon, b.lat, b.lon) <= km else DIFFERENT  # type: ignore[arg-type]
    regional = {a.precision, b.precision} & {"admin2", "admin1", "region"}
    if regional and a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return DIFFERENT
    return UNKNOWN


def actor_relation(a: tuple, b: tuple) -> str:
    """Actors agree on the same id, or are the state apparatus (or civilians) of the same country; a person
    and the group they belong to or lead (as the articles or the knowledge base say) do not disagree."""
    (a_id, a_kind, a_country, a_groups), (b_id, b_kind, b_country, b_groups) = a, b
    if a_id is None or b_id is None:
        return UNKNOWN
    if a_id == b_id:
        return SAME
    if a_id in b_groups or b_id in a_groups:
        return UNKNOWN
    if a_country and a_country == b_country and a_kind in STATE_KINDS and b_kind in STATE_KINDS:
        return SAME
    if a_kind == b_kind == "civilians" and (a_country is None or b_country is None or a_country == b_country):
        return SAME
    if "unknown" in (a_kind, b_kind):
        return UNKNOWN
    return DIFFERENT


def agreement(a: Report, b: Report, merge: MergeSettings) -> int | None:
    """None when the two cannot be one event; else agreement points: places within km 2, actor 1, target 1.

    Meetings, agreements and cooperation are symmetric: their sides may be named in either order.
    """
    if a.type != b.type or a.article_id == b.article_id or not windows_meet(a, b, merge.days):
        return None
    if a.background != b.background or tolls_apart(a.fatalities, b.fatalities) or tolls_apart(a.injured, b.injured):
        return None
    place = place_relation(a, b, merge.km)
    if place == DIFFERENT:
        return None
    sides = [_sides(a.actor, a.target, b.actor, b.target)]
    if a.type in SYMMETRIC:
        sides.append(_sides(a.actor, a.target, b.target, b.actor))
    best = max((s for s in sides if s is not None), default=None)
    if best is None:
        return None
    return (2 if place == SAME else 0) + best


def tolls_apart(a: int | None, b: int | None) -> bool:
    """Figures an order of magnitude apart (and more than a few dead apart): not one event's toll."""
    if a is None or b is None:
        return False
    low, high = sorted((a, b))
    return high - low > TOLL_GAP and high > TOLL_RATIO * max(low, 1)


def _sides(a_actor: tuple, a_target: tuple, b_actor: tuple, b_target: tuple) -> int | None:
    actor, target = actor_relation(a_actor, b_actor), actor_relation(a_target, b_target)
    if DIFFERENT in (actor, target):
        return None
    return (actor == SAME) + (target == SAME)


def pair_rank(a: Report, b: Report, points: int) -> tuple[int, float]:
    """Stronger pairs merge first: agreement points, then same mode and both giving a toll, then distance."""
    extra = (a.mode is not None and a.mode == b.mode) + (a.fatalities is not None and b.fatalities is not None)
    close = 0.0
    if None not in (a.lat, a.lon, b.lat, b.lon) and a.precision in PRECISE and b.precision in PRECISE \
            and a.stated_place and b.stated_place:
        close = -haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
    return points * 4 + extra, close


# ---------------------------------------------------------------------------------------------
# Clustering
# ---------------------------------------------------------------------------------------------

def cluster_reports(reports: list[Report], merge: MergeSettings) -> list[Cluster]:
    """Each report in exactly one cluster. Candidate pairs (same type, windows within `days`, same or unknown
    country) that agree enough are merged strongest first; two clusters merge only when every report of one
    is compatible with every report of the other and no article is in both (complete linkage)."""
    mergeable = [r for r in reports if r.start is not None and r.status in HAPPENED]
    parent: dict[str, str] = {r.id: r.id for r in reports}
    groups: dict[str, Cluster] = {r.id: Cluster(members=[r], articles={r.article_id}) for r in reports}
    for _, a, b in sorted(candidate_pairs(mergeable, merge), key=lambda p: p[0]):
        ra, rb = _root(parent, a.id), _root(parent, b.id)
        if ra == rb or not _joinable(groups[ra], groups[rb], merge):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        for member in groups.pop(gone).members:
            groups[keep].add(member)
    return list(groups.values())


def candidate_pairs(reports: list[Report], merge: MergeSettings) -> list[tuple[tuple, Report, Report]]:
    """Pairs worth merging, each with a sort key (strongest first, then by ids, so the order is canonical)."""
    found = []
    blocks: dict[tuple[str, str | None], list[Report]] = defaultdict(list)
    for report in reports:
        blocks[(report.type, report.place_country)].append(report)
    for (type_, country), block in blocks.items():
        if country is None:
            continue
        found.extend(_sweep_pairs(block + blocks.get((type_, None), []), merge, skip_unplaced=True))
    for (_, country), block in blocks.items():
        if country is None:
            found.extend(_sweep_pairs(block, merge, skip_unplaced=False))
    return found


def _sweep_pairs(block: list[Report], merge: MergeSettings, skip_unplaced: bool) -> list[tuple[tuple, Report, Report]]:
    """Pairs whose date windows meet, found by a sweep over reports sorted by start."""
    ordered = sorted(block, key=lambda r: (r.start, r.id))
    gap = dt.timedelta(days=merge.days)
    pairs = []
    for i, a in enumerate(ordered):
        reach = (a.end or a.start) + gap  # type: ignore[operator]
        for b in ordered[i + 1:]:
            if b.start > reach:  # type: ignore[operator]
                break
            if skip_unplaced and a.place_country is None and b.place_country is None:
                continue  # the pass over unplaced reports finds these
            points = agreement(a, b, merge)
            if points is not None and points >= NEEDED:
                strength, close = pair_rank(a, b, points)
                first, second = (a, b) if a.id < b.id else (b, a)
                pairs.append(((-strength, -close, first.id, second.id), first, second))
    return pairs


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def _joinable(first: Cluster, second: Cluster, merge: MergeSettings) -> bool:
    if first.articles & second.articles:
        return False
    return all(agreement(a, b, merge) is not None for a in first.members for b in second.members)


# ---------------------------------------------------------------------------------------------
# Syndication: near-duplicate texts form one story
# ---------------------------------------------------------------------------------------------

def story_groups(store: Store, threshold: float) -> dict[str, str]:
    """article id -> story id (the smallest article id of its group), for articles that have copies."""
    pairs = store.con.execute("""
        SELECT DISTINCT a.article_id, b.article_id FROM article_bands a
        JOIN article_bands b ON a.band = b.band AND a.bucket = b.bucket AND a.article_id < b.article_id
    """).fetchall()
    if not pairs:
        return {}
    ids = sorted({i for pair in pairs for i in pair})
    signatures = dict(store.con.execute(
        "SELECT id, signature FROM articles WHERE id IN (SELECT unnest(?))", [ids]).fetchall())
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        if similarity.similarity(signatures[a], signatures[b]) >= threshold:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups = {i: root(i) for i in ids}
    sizes = Counter(groups.values())
    return {i: story for i, story in groups.items() if sizes[story] > 1}


# ---------------------------------------------------------------------------------------------
# Reconciling a cluster's fields
# ---------------------------------------------------------------------------------------------

def reconcile_toll(members: list[Report], kind: str, rule: str) -> tuple[int | None, str | None, int | None,
                                                                         int | None, int]:
    """(best, its qualifier, low, high, stories giving a figure) over independent stories, never a sum."""
    per_story: dict[str, Report] = {}
    for report in sorted(members, key=lambda r: (r.published or dt.date.min, _figure(r, kind) or 0, r.id)):
        if _figure(report, kind) is not None:
            per_story[report.story_id] = report  # a story's latest copy speaks for it
    if not per_story:
        return None, None, None, None, 0
    reports = list(per_story.values())
    figures = [_figure(r, kind) for r in reports]
    lows = [_bound(r, kind, "min") for r in reports]
    highs = [_bound(r, kind, "max") for r in reports]
    closed = [h for h in highs if h is not None]
    chosen = _choose(reports, kind, rule)
    qualifier = chosen.fatalities_qualifier if kind == "fatalities" else None
    # an open figure ("more than 100") bounds nothing above: the range stays open unless a closed figure
    # reaches past it ("at least 12" and "18" give 12-18)
    open_lows = [low for low, high in zip(lows, highs) if high is None]
    high = max(closed) if closed and all(low <= max(closed) for low in open_lows) else None
    return _figure(chosen, kind), qualifier, min(lows), high, len(figures)


def _figure(report: Report, kind: str) -> int | None:
    return report.fatalities if kind == "fatalities" else report.injured


def _bound(report: Report, kind: str, end: str) -> int | None:
    """The report's lower or upper bound; None for the upper bound of an open figure ("at least 12")."""
    value = getattr(report, f"{kind}_{end}")
    if value is not None:
        return value
    if end == "max" and getattr(report, f"{kind}_min") is not None:
        return None
    return _figure(report, kind)


def _choose(reports: list[Report], kind: str, rule: str) -> Report:
    if rule == "latest":
        return max(reports, key=lambda r: (r.published or dt.date.min, _figure(r, kind), r.confidence, r.id))
    ordered = sorted(reports, key=lambda r: (_figure(r, kind), r.id))
    return ordered[0] if rule == "lowest" else ordered[(len(ordered) - 1) // 2]


def _most_common(values: list, default: object = None) -> object:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return default
    return min(counts, key=lambda v: (-counts[v], str(v)))


def cluster_row(cluster: Cluster, extra: dict[str, dict], rule: str) -> tuple:
    members = cluster.members
    best = max(members, key=lambda r: (r.confidence, r.id))
    place = min(members, key=lambda r: (not r.stated_place, PRECISION_ORDER.get(r.precision or "", 9), -r.confidence,
                                        r.id))
    actor_id = _most_common([r.actor[0] for r in members])
    target_id = _most_common([r.target[0] for r in members])
    actor = next((extra[r.id]["actor"] for r in members if r.actor[0] == actor_id), (None,) * 4)
    target = next((extra[r.id]["target"] for r in members if r.target[0] == target_id), (None,) * 4)
    dated = [r for r in members if r.dated]
    start = min((r.start for r in dated), default=None)
    end = max((r.end or r.start for r in dated), default=None)  # type: ignore[type-var]
    precision = None if start is None else ("day" if start == end and all(
        extra[r.id]["date_precision"] == "day" for r in dated) else "range")
    statuses = [r.status for r in members]
    status = "reported" if "reported" in statuses else _most_common(statuses)
    killed = reconcile_toll(members, "fatalities", rule)
    hurt = reconcile_toll(members, "injured", rule)
    published = [r.published for r in members if r.published]
    place_extra = extra[place.id]
    return (
        cluster.id, best.type, _most_common([r.mode for r in members]), extra[best.id]["cameo"],
        extra[best.id]["acled_event_type"], extra[best.id]["acled_sub_event_type"], start, end, precision,
        place_extra["place_name"], place.country, place.admin1, place.lat, place.lon, place.precision,
        place.precision not in PRECISE if place.precision else None,
        *actor, *target, status, len(members), len(cluster.articles), len({r.story_id for r in members}),
        len({r.source for r in members if r.source}), sum(r.mentions for r in members),
        killed[0], killed[1], killed[2], killed[3], killed[4], hurt[0], hurt[2], hurt[3],
        max(r.confidence for r in members), min(published, default=None), max(published, default=None), best.id,
        all(r.background for r in members) or temporal.is_history(start, end, min(published, default=None)))


# ---------------------------------------------------------------------------------------------
# The merge over the whole store
# ---------------------------------------------------------------------------------------------

@dataclass
class MergeResult:
    events: int
    clusters: int
    multi_source: int
    stories_with_copies: int
    settings: MergeSettings


REPORT_QUERY = """
SELECT e.id, e.article_id, coalesce(s.story_id, e.article_id), a.source, a.published, e.type, e.mode,
       e.actor_id, e.actor_kind, e.actor_country, e.target_id, e.target_kind, e.target_country,
       e.date_start, e.date_end, e.country, e.admin1, e.lat, e.lon, e.place_precision, e.status,
       e.fatalities, e.fatalities_qualifier, e.fatalities_min, e.fatalities_max,
       e.injured, e.injured_min, e.injured_max, e.confidence,
       (SELECT count(*) FROM event_evidence v WHERE v.event_id = e.id),
       e.actor_name, e.target_name, e.cameo, e.acled_event_type, e.acled_sub_event_type, e.place_name,
       e.date_precision, e.background, e.place_rule
FROM events e JOIN articles a ON a.id = e.article_id
LEFT JOIN syndication s ON s.article_id = e.article_id
"""


BELONGING = """SELECT DISTINCT actor_id, other_id FROM relations WHERE type IN ('member_of', 'leader_of', 'part_of')"""


def load_reports(store: Store, merge: MergeSettings) -> tuple[list[Report], dict[str, dict]]:
    reports, extra = [], {}
    groups: dict[str, set[str]] = defaultdict(set)
    for member, group in store.con.execute(BELONGING).fetchall():
        groups[member].add(group)

    def side(actor_id: str | None, kind: str | None, country: str | None) -> tuple:
        return actor_id, kind, country, frozenset(groups.get(actor_id, ())) if actor_id else frozenset()

    for row in store.con.execute(REPORT_QUERY).fetchall():
        (eid, aid, story, source, published, type_, mode, a_id, a_kind, a_country, t_id, t_kind, t_country,
         start, end, country, admin1, lat, lon, precision, status, fat, fat_q, fat_min, fat_max,
         inj, inj_min, inj_max, confidence, mentions, a_name, t_name, cameo, acled_type, acled_sub,
         place_name, date_precision, background, place_rule) = row
        dated = start is not None
        if not dated and published is not None:
            start, end = published - dt.timedelta(days=merge.days), published  # reported "recently"
        reports.append(Report(
            id=eid, article_id=aid, story_id=story, source=source, published=published, type=type_, mode=mode,
            actor=side(a_id, a_kind, a_country), target=side(t_id, t_kind, t_country), start=start,
            end=end or start, dated=dated, country=country, admin1=admin1, lat=lat, lon=lon, precision=precision,
            status=status, fatalities=fat, fatalities_qualifier=fat_q, fatalities_min=fat_min,
            fatalities_max=fat_max, injured=inj, injured_min=inj_min, injured_max=inj_max,
            confidence=confidence, mentions=max(1, mentions), background=bool(background),
            stated_place=place_rule not in FALLBACK_PLACES))
        extra[eid] = {"actor": (a_id, a_name, a_kind, a_country), "target": (t_id, t_name, t_kind, t_country),
                      "cameo": cameo, "acled_event_type": acled_type, "acled_sub_event_type": acled_sub,
                      "place_name": place_name, "date_precision": date_precision}
    return reports, extra


def merge_store(store: Store, merge: MergeSettings | None = None) -> MergeResult:
    """Recompute story groups and clusters from the stored events, replacing the previous ones."""
    merge = merge or MergeSettings.from_settings()
    stories = story_groups(store, merge.similarity)
    with store.transaction() as con:
        con.execute("DELETE FROM syndication")
        insert_rows(con, "syndication", sorted(stories.items()), ("article_id", "story_id"))
        reports, extra = load_reports(store, merge)
        clusters = sorted(cluster_reports(reports, merge), key=lambda c: c.id)
        rows = [cluster_row(c, extra, merge.fatalities) for c in clusters]
        members = [(c.id, r.id, r.article_id, r.story_id) for c in clusters for r in c.members]
        con.execute("DELETE FROM clusters")
        con.execute("DELETE FROM cluster_members")
        insert_rows(con, "clusters", rows, CLUSTER_COLUMNS)
        insert_rows(con, "cluster_members", members, ("cluster_id", "event_id", "article_id", "story_id"))
        for key, value in merge.as_dict().items():
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [f"merge_{key}", str(value)])
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, '0')", [STALE_KEY])
    return MergeResult(events=len(reports), clusters=len(clusters),
                       multi_source=sum(1 for r in rows if r[CLUSTER_COLUMNS.index("sources")] > 1),
                       stories_with_copies=len(set(stories.values())), settings=merge)


CLUSTER_COLUMNS = (
    "id", "type", "mode", "cameo", "acled_event_type", "acled_sub_event_type", "date_start", "date_end",
    "date_precision", "place_name", "country", "admin1", "lat", "lon", "place_precision", "approximate",
    "actor_id", "actor_name", "actor_kind", "actor_country", "target_id", "target_name", "target_kind",
    "target_country", "status", "events", "reports", "sources", "outlets", "mentions",
    "fatalities", "fatalities_qualifier", "fatalities_low", "fatalities_high", "fatalities_reports",
    "injured", "injured_low", "injured_high", "confidence", "first_published", "last_published",
    "evidence_event_id", "background")
