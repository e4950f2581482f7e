"""Where an act with no place in its own sentence happened: its actor's country.

The event-place fallback (:func:`newswire.geo.attach.event_place`) takes the
article's main place, which is right for the fighting, protests and aid an article
is about, but misplaces what a foreign government does about them: in a story set
in Syrian camps, "the UK development secretary has banned cash transfers" happened
in the United Kingdom, not in Syria.  So for an act that is not on the ground, when
every coded actor belongs to one country and that is not the fallback's country,
the actor's country is the place; its evidence span is the actor's mention.
"""

from __future__ import annotations

from newswire.geo import gazetteer
from newswire.model import Actor, Place

# where the action physically is: these keep the article's place
ON_THE_GROUND = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT", "AID"})


def actor_home(etype: str, actors: list[Actor], recipients: list[Actor],
               place: Place | None, sentence: int) -> Place | None:
    """The actor's country as a Place, when it should replace ``place`` (a fallback from
    outside ``sentence``); otherwise None.  Dealings with a party of the fallback's
    country ("US forces train the SDF") stay there."""
    if etype in ON_THE_GROUND or place is None or (
            place.span is not None and place.span.sentence == sentence):
        return None
    if place.country and place.country in {r.code for r in recipients}:
        return None
    codes = {a.code for a in actors if a.code and not a.code_inferred}
    if len(codes) != 1:
        return None
    code = codes.pop()
    entry = gazetteer.country(code)
    if entry is None or code == place.country:
        return None  # an organisation's code (UNO, NGO) or already that country
    actor = next(a for a in actors if a.code == code)
    return Place(name=entry.name, country=code, lat=entry.lat, lon=entry.lon,
                 precision="country", span=actor.span, geonameid=entry.geonameid)
