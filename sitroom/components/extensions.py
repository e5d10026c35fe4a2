"""The Doc extensions the stages read and write, registered once."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = {
    "article": None,          # the Article being read (set by the pipeline before the stages run)
    "kb": None,               # the actor knowledge base the actors stage resolved against
    "body_start": 0,          # where the story begins: after a [Source: …] line and a dateline
    "actor_mentions": None,   # list[ActorMention], in text order
    "actors": None,           # dict[id, ResolvedActor]
    "relations": None,        # list[TextRelation] stated in the text
    "times": None,            # list[TimeMention]
    "default_date": None,     # the lead's date: TimeMention or None
    "places": None,           # list[PlaceMention]
    "dateline_place": None,   # the dateline's Place, resolved
    "casualties": None,       # list[CasualtyMention]
    "events": None,           # list[EventRecord]
}


def register() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
