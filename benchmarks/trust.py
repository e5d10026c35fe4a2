"""What an analyst would distrust in a store: events dated after the article, war-wide tolls as one event,
misplaced US/UK records, reversed ranges, background in the current picture, actor noise.

    python benchmarks/trust.py STORE.duckdb [--json]

Build the store from the 63 news stories with their dates (the folder's index.jsonl is a manifest):
    sitroom ingest ../shared/data/news/ --db /tmp/news.duckdb
"""

from __future__ import annotations

import argparse
import json
import sys

import duckdb

CHECKS = {
    "reported events dated after publication": """
        select count(*) from events e join articles a on a.id = e.article_id
        where e.date_start > a.published and e.status in ('reported', 'claimed', 'denied', 'accused')""",
    "merged events over 2,000 killed": "select count(*) from clusters where fatalities_high > 2000",
    "merged events with a reversed range": """
        select count(*) from clusters where fatalities_low > fatalities_high or injured_low > injured_high""",
    "misplaced US/UK records": """
        select count(*) from events
        where regexp_matches(place_text, '^(the )?(US|U\\.S\\.|UK|U\\.K\\.)$')
          and coalesce(country, '') not in ('USA', 'GBR')""",
    "events placed in France from a non-French name": """
        select count(*) from events where country = 'FRA' and place_text not ilike '%fran%'
          and place_text not ilike '%paris%' and place_name not ilike 'paris%'""",
    "background events in the default listing": """
        select count(*) from clusters c where date_end < c.first_published - interval 1 year
          and not background""",
    "actor names with stray spaces or symbols": """
        select count(*) from actors where name <> trim(regexp_replace(name, '\\s+', ' ', 'g'))
          or not regexp_matches(name, '^[[:alnum:]]')""",
    "facilities and weapons as actors": """
        select count(*) from actors where (id like 'person\\_%' escape '\\' or id like 'org\\_%' escape '\\')
          and regexp_matches(lower(name), '(hospital|school|mosque|camp|hall|airbase|base|university|prison|ship)$|^[a-z]{1,6}-?[0-9]+$')""",
}


def audit(path: str) -> dict[str, int]:
    con = duckdb.connect(path, read_only=True)
    try:
        figures = {name: int(con.execute(sql).fetchone()[0]) for name, sql in CHECKS.items()}
        people = [row[0] for row in con.execute("SELECT name FROM actors WHERE kind = 'person'").fetchall()]
    finally:
        con.close()
    figures["persons that are places or initials"] = sum(1 for name in people if place_or_initials(name))
    return figures


def place_or_initials(name: str) -> bool:
    from sitroom.components.actors import names_a_place
    return name.isupper() and len(name) <= 3 or names_a_place(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = audit(args.store)
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for name, value in figures.items():
            print(f"{value:6d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
