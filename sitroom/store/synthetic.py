"""Synthetic stores for load tests: many plausible events written straight into the tables, in SQL.

Used by `benchmarks/ingest.py` (100,000 events) and by the query-latency test (a smaller store). Events are
spread over a year, 16 types, and a few dozen real cities with their coordinates; a share of them are
re-reports of the same event by other articles so that the merge has work to do.
"""

from __future__ import annotations

from sitroom.store.store import Store

CITIES = [
    ("Khartoum", "SDN", 15.5518, 32.5324), ("El Obeid", "SDN", 13.1842, 30.2167), ("El Fasher", "SDN", 13.6279, 25.3494),
    ("Kyiv", "UKR", 50.4547, 30.5238), ("Kharkiv", "UKR", 49.9808, 36.2527), ("Odesa", "UKR", 46.4775, 30.7326),
    ("Gaza", "PSE", 31.5016, 34.4667), ("Khan Younis", "PSE", 31.3462, 34.3063), ("Beirut", "LBN", 33.8933, 35.5016),
    ("Tyre", "LBN", 33.2733, 35.1939), ("Sanaa", "YEM", 15.3547, 44.2067), ("Hodeidah", "YEM", 14.7978, 42.9545),
    ("Bamako", "MLI", 12.6392, -8.0029), ("Menaka", "MLI", 15.9182, 2.4022), ("Goma", "COD", -1.6792, 29.2228),
    ("Mogadishu", "SOM", 2.0371, 45.3438), ("Port-au-Prince", "HTI", 18.5392, -72.335),
    ("Nairobi", "KEN", -1.2833, 36.8167), ("Dhaka", "BGD", 23.7104, 90.4074), ("Tbilisi", "GEO", 41.6941, 44.8337),
    ("Caracas", "VEN", 10.488, -66.8792), ("Mandalay", "MMR", 21.9747, 96.0836), ("Kabul", "AFG", 34.5281, 69.1723),
    ("Baghdad", "IRQ", 33.3406, 44.4009), ("Damascus", "SYR", 33.5102, 36.2913), ("Tripoli", "LBY", 32.8872, 13.1913),
]
TYPES = ["ASSAULT", "PROTEST", "COERCE", "ACCUSE", "CONSULT", "REQUEST", "THREATEN", "MOBILIZE", "AGREE",
         "SUPPORT", "REJECT", "SANCTION", "AID", "COOPERATE", "RETREAT", "CONCEDE"]
ACTORS = [("rsf", "Rapid Support Forces", "armed_group", "SDN"), ("sdn_military", "Sudanese military", "military", "SDN"),
          ("rus_military", "Russian military", "military", "RUS"), ("ukr_military", "Ukrainian military", "military", "UKR"),
          ("isr_military", "Israeli military", "military", "ISR"), ("hamas", "Hamas", "armed_group", "PSE"),
          ("hezbollah", "Hezbollah", "armed_group", "LBN"), ("houthis", "Houthis", "armed_group", "YEM"),
          ("jnim", "JNIM", "armed_group", "MLI"), ("m23", "M23", "armed_group", "COD"),
          ("al_shabaab", "al-Shabaab", "armed_group", "SOM"), ("ken_police", "Kenyan police", "police", "KEN"),
          ("un", "United Nations", "igo", None), ("usa", "United States", "state", "USA")]
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Al Jazeera", "DW", "The Guardian", "CNN"]


def _values(rows: list[tuple]) -> str:
    def literal(value: object) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        return repr(value)
    return ", ".join("(" + ", ".join(literal(v) for v in row) + ")" for row in rows)


def fill(store: Store, events: int = 100_000, reports_per_event: float = 1.5, seed: int = 7) -> None:
    """Add `events` synthetic reports (about events / reports_per_event real events) in one transaction."""
    con = store.con
    real = max(1, int(events / reports_per_event))
    articles = max(1, events // 4)
    with store.transaction():
        con.execute("SELECT setseed(?)", [seed / 100])
        con.execute("CREATE TEMP TABLE cities (n INTEGER, name VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE)")
        con.execute("INSERT INTO cities VALUES " + _values([(i, *c) for i, c in enumerate(CITIES)]))
        con.execute("CREATE TEMP TABLE kinds (n INTEGER, type VARCHAR)")
        con.execute("INSERT INTO kinds VALUES " + _values(list(enumerate(TYPES))))
        con.execute("CREATE TEMP TABLE parties (n INTEGER, id VARCHAR, name VARCHAR, kind VARCHAR, country VARCHAR)")
        con.execute("INSERT INTO parties VALUES " + _values([(i, *a) for i, a in enumerate(ACTORS)]))
        con.execute("CREATE TEMP TABLE outlets (n INTEGER, name VARCHAR)")
        con.execute("INSERT INTO outlets VALUES " + _values(list(enumerate(OUTLETS))))
        con.execute("INSERT INTO actors SELECT id, name, kind, country FROM parties ON CONFLICT DO NOTHING")
        con.execute(f"""INSERT INTO articles (id, source, published, title, url, origin, text, chars, events,
                            ingested_at, sitroom_version)
            SELECT printf('syn%013d', a), o.name, DATE '2024-01-01' + CAST(a % 366 AS INTEGER) + 1,
                   'Synthetic story ' || a, NULL, 'synthetic', 'Synthetic article ' || a || '.', 20, 4,
                   TIMESTAMP '2025-01-01', 'synthetic'
            FROM range({articles}) t(a) JOIN outlets o ON o.n = a % {len(OUTLETS)}""")
        # Each real event r gets reports; report i belongs to real event i % real and to article i % articles.
        con.execute(f"""CREATE TEMP TABLE plan AS
            SELECT i, i % {real} AS r, i % {articles} AS a FROM range({events}) t(i)""")
        con.execute(f"""INSERT INTO events (id, article_id, type, mode, cameo, actor_id, actor_name, actor_kind,
                actor_country, target_id, target_name, target_kind, target_country, date_start, date_end,
                date_precision, date_rule, place_name, country, admin1, lat, lon, place_precision, place_rule,
                fatalities, fatalities_qualifier, fatalities_min, fatalities_max, status, start_char, end_char,
                sentence, confidence)
            SELECT printf('ev%014d', p.i), printf('syn%013d', p.a), k.type, NULL, NULL,
                   s.id, s.name, s.kind, s.country, NULL, NULL, NULL, NULL,
                   DATE '2024-01-01' + CAST(p.r % 366 AS INTEGER), DATE '2024-01-01' + CAST(p.r % 366 AS INTEGER),
                   'day', 'attached', c.name, c.country, NULL,
                   c.lat + ((p.r * 7919) % 100) / 1000.0, c.lon + ((p.r * 104729) % 100) / 1000.0,
                   CASE WHEN p.r % 10 = 0 THEN 'country' ELSE 'city' END, 'attached',
                   CASE WHEN k.type = 'ASSAULT' THEN (p.r % 30) + (p.i % 3) END, 'exact', NULL, NULL,
                   'reported', 0, 10, 'Synthetic sentence ' || p.i || '.', 0.5 + (p.i % 50) / 100.0
            FROM plan p
            JOIN kinds k ON k.n = (p.r * 31) % {len(TYPES)}
            JOIN cities c ON c.n = (p.r * 17) % {len(CITIES)}
            JOIN parties s ON s.n = (p.r * 13) % {len(ACTORS)}""")
        con.execute("""INSERT INTO event_evidence SELECT id, article_id, start_char, end_char, sentence, confidence,
                       TRUE FROM events WHERE article_id LIKE 'syn%'""")
        con.execute("""INSERT INTO actor_mentions SELECT article_id, actor_id, 0, 5 FROM events
                       WHERE article_id LIKE 'syn%' AND actor_id IS NOT NULL""")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('clusters_stale', '1')")
        for table in ("cities", "kinds", "parties", "outlets", "plan"):
            con.execute(f"DROP TABLE {table}")
