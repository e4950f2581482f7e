"""events: the PLOVER event coder.

Candidates (lexicon triggers and verbs, ``coding.features``) are scored by the classifier
(``coding.classifier``; lexicon-only when no model is installed).  A candidate becomes an event when
its best PLOVER type is likely enough and ``extract.event_filters`` finds it reports an event of
its own (not the content of another event's verb, a description, a running toll, ...) in a
sentence that can hold one.  Each event gets actors and recipients (``extract.event_actors``: only
people, groups, organisations and states), place, date, casualty counts, modality flags,
ontology scores and the sentence as evidence.  Mentions of one event in several sentences are
fused into one Event with several spans.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import numpy as np
from spacy.tokens import Doc, Token

from newswire.coding import classifier
from newswire.coding import features as F
from newswire.coding.event_fusion import fuse
from newswire.extract import event_actors as A
from newswire.extract import event_filters as EF
from newswire.extract import event_when as W
from newswire.extract import modality, places
from newswire.extract.spans import make_span
from newswire.geo.home import actor_home
from newswire.model import Actor, ArticleRecord, Event, Place
from newswire.ontology import describe

LEX_MIN = 0.07  # a lexicon trigger needs this much probability for its best type
FREE_MIN = 0.55  # a verb outside the lexicon needs a confident classifier
# an unsure classifier that prefers another type over a two-word lexicon trigger's own
# ("seize power", "pull out") is reading the sentence around it ("had demanded the
# withdrawal after it seized power"): the phrase decides, unless a word governing it as
# its complement changes what it means ("refusal to pull out")
PHRASE_WINS_BELOW = 0.5
_COMPLEMENTS = frozenset({"xcomp", "ccomp", "acl", "pcomp"})
_SUBJ = {"nsubj", "csubj"}

_override: list[classifier.Model | None] = []


@contextlib.contextmanager
def using_model(model: classifier.Model | None) -> Iterator[None]:
    """Code with another classifier (cross-validation folds); None = lexicon only."""
    _override.append(model)
    try:
        yield
    finally:
        _override.pop()


def _model() -> classifier.Model | None:
    return _override[-1] if _override else classifier.load()


def score(cands: list[tuple[Token, F.LexRow | None, list[str]]]) -> tuple[list[str], np.ndarray]:
    """(class names, probabilities per candidate); lexicon one-hot when no model is installed."""
    model = _model()
    if model is not None:
        return model.classes, model.predict_proba([f for _, _, f in cands])
    names = sorted({r.type for _, r, _ in cands if r} | {classifier.NONE})
    p = np.zeros((len(cands), len(names)))
    for i, (_, row, _) in enumerate(cands):
        p[i, names.index(row.type if row else classifier.NONE)] = 1.0
    return names, p


_WEAPON_MODES = {"explosives", "firearms", "heavy-weapons"}
# types that are already statements: intent or obligation does not change what they are
_SPEECH_ACTS = {"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE"}
# events aimed at someone, whose object names whom and not where
_ADDRESSED = _SPEECH_ACTS | {"SUPPORT"}
_HOSTILE = EF.HOSTILE
_GIVING = {"SUPPORT", "AID", "CONCEDE", "RETREAT", "COOPERATE"}
# events whose recipient, when no phrase names one, is the state where they happen ("lifted
# the curfew in X" is a concession to X's people, foreigners demonstrating in X protest to
# X); a meeting is received by its host only when someone travels there ("talks in Doha"
# are not Qatar's)
_HOST_TYPES = {"MOBILIZE", "RETREAT", "AID", "THREATEN", "CONCEDE", "PROTEST"}
_VISITS = {"arrive", "visit", "travel", "fly", "tour", "land"}


def modal_type(tok: Token, etype: str) -> str:
    """PLOVER's reading of an action that is promised, demanded or conditional.

    "X must release" is X being asked (REQUEST); "will release" / "offered to release" is an
    undertaking (AGREE); "will impose a curfew", "will withdraw unless" are THREATENs; "will not
    meet their demands", "failed to reach agreement" are REJECTs.  Plain reports keep their type.
    """
    mcs = set(F.modality_classes(tok))
    if not mcs:
        return etype
    if "must" in mcs and etype not in ("REQUEST", "ACCUSE"):
        return "REQUEST"
    fut = "fut" in mcs
    if "refuse" in mcs and etype in _GIVING | {"AGREE", "CONSULT"}:
        return "REJECT"  # "failed to reach agreement", "refused to release"
    if "cond" in mcs and "maybe" in mcs and etype in _HOSTILE | {"RETREAT"}:
        return "THREATEN"  # "may halt its mediation if ..."
    if fut and "neg" in mcs and etype in _GIVING | {"AGREE", "CONSULT"}:
        return "REJECT"
    if fut and "neg" in mcs and etype in _HOSTILE:
        return etype  # "will not attack the city" threatens nothing; its flags say so
    if fut and "cond" in mcs and etype in _HOSTILE | {"RETREAT"}:
        return "THREATEN"
    if fut and etype == "CONSULT" and "neg" not in mcs and tok.pos_ == "NOUN":
        return "CONSULT"  # talks announced in advance are those talks (flagged future)
    if fut and etype in _HOSTILE:
        return "THREATEN"
    if fut and etype in _GIVING:
        return "AGREE"
    return etype


def _scheduled_meeting(tok: Token) -> bool:
    """A future meeting of the subject's members among themselves.  "X will visit Y" or "would
    meet the mediator" is X's undertaking (AGREE); "the two sides will meet again" is the
    meeting itself."""
    if tok.pos_ != "VERB" or "fut" not in F.modality_classes(tok):
        return False
    return not any(c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ == "with")
                   for c in tok.children)


def _mode(row: F.LexRow | None, etype: str, tok: Token) -> str:
    """A mode cue in the trigger's clause ("suicide", "drone") beats a weapon-class default."""
    if row is not None and row.type == etype and row.mode and row.mode not in _WEAPON_MODES:
        return row.mode  # "abducted" stays an abduction whatever the kidnappers carried
    clause = tok if tok.pos_ == "VERB" or tok.head.i == tok.i else tok.head
    lemmas = {F.lemma(t) for t in clause.subtree}
    for cue, mode in F.mode_cues().get(etype, []):
        if cue in lemmas:
            return mode
    if row is not None and row.type == etype and row.mode:
        return row.mode
    return ""


def _contexts(sent) -> list[str]:
    cues = F.context_cues()
    return sorted({cues[F.lemma(t)] for t in sent if F.lemma(t) in cues})


def extract(doc: Doc, rec: ArticleRecord) -> list[Event]:
    cands = F.doc_candidates(doc)
    if not cands:
        return []
    names, probs = score(cands)
    none = names.index(classifier.NONE)
    masked = probs.copy()
    masked[:, none] = -1.0
    best = masked.argmax(axis=1)
    order = sorted(range(len(cands)), key=lambda i: F._depth(cands[i][0]))
    accepted: set[int] = set()
    events: list[Event] = []
    nonpol: dict[int, set[str]] = {}
    pub = W.publication(rec)
    owners = W.owners(doc, rec, {c[0].i for c in cands})
    for i in order:
        tok, row, _feats = cands[i]
        etype, p = names[best[i]], float(probs[i, best[i]])
        if p < (LEX_MIN if row is not None else FREE_MIN):
            continue
        if row is not None and row.with_ not in ("", "neg") and etype != row.type \
                and p < PHRASE_WINS_BELOW and tok.dep_ not in _COMPLEMENTS \
                and row.type in names:
            etype, p = row.type, float(probs[i, names.index(row.type)])
        sent = tok.sent
        blocked = nonpol.setdefault(sent.start, EF.nonpolitical(sent))
        if etype in blocked or "*" in blocked:
            continue
        if EF.governed_by_event(tok, accepted) or EF.not_eventive(tok):
            continue
        if F.in_name(tok) or F.is_boilerplate(tok) or EF.self_obligation(tok, row) \
                or EF.mere_warning(tok, etype) or EF.running_tally(tok, etype):
            continue
        if row is not None and tok.pos_ in ("NOUN", "PROPN") and etype != row.type:
            etype = row.type  # a noun names its event: "talks" are CONSULT whatever surrounds them
        # the modal reading starts from what the verb literally does (the lexicon's type)
        literal = row.type if row is not None else etype
        converted = modal_type(tok, literal)
        announced = converted == literal == "CONSULT" and "fut" in F.modality_classes(tok) \
            and tok.pos_ == "NOUN"
        if converted != literal or announced:
            etype, row = converted, None  # the statement (promise, demand, threat) is the event
        elif row is not None and literal in _SPEECH_ACTS and F.modality_classes(tok):
            etype = literal  # "will urge", "would try to hold them to promises": still REQUEST
        elif literal == "CONSULT" and etype == "AGREE" and _scheduled_meeting(tok):
            etype = literal  # "the leaders will meet again in May": the meeting, not a promise
        accepted.add(tok.i)
        model = _model()
        conf = model.confidence(p) if model is not None else p
        ev = _build(rec, tok, row, etype, conf, pub, owners)
        if not ev.actors and (
            (not ev.recipients and W.backdrop(tok))  # "since the fighting began": background
            or (etype == "ASSAULT" and F.word_classes().get(F.lemma(tok)) == "patient")
        ):
            accepted.discard(tok.i)  # "died in an ambush": the ambush may still be coded
            continue  # no agent: "300,000 people have been displaced", "the infant died"
        events.append(ev)
    lead = max((s.end for s in rec.sections if s.kind in ("headline", "standfirst")), default=0)
    return _assign_ids(rec, fuse(events, lead))


def _build(rec: ArticleRecord, tok: Token, row, etype: str, p: float, pub, owners) -> Event:
    sent = tok.sent
    sent_span = make_span(rec, sent.start_char, sent.end_char)
    subj = A.resolve_pronoun(A.subject(tok), tok)
    passive_subj = [c for c in tok.children if c.dep_ == "nsubjpass"]
    recips = A.recipients(tok)
    actors = A.actors(rec, A.target(subj) if subj is not None else None, owner=True)
    recipients = [a for r in recips for a in A.actors(rec, A.target(r))]
    if F.word_classes().get(F.lemma(tok)) == "patient" and subj is not None \
            and subj.dep_ in _SUBJ:
        recipients, actors = actors + recipients, []  # "three soldiers died": the victims
    if subj is None and passive_subj and not recipients:
        recipients = A.actors(rec, A.target(passive_subj[0]))
    if row is None and etype == "REQUEST" and "must" in F.modality_classes(tok):
        # "X said that Sudan must return the aircraft": PLOVER codes X asking Sudan
        asker = A.demander(tok)
        recipients = actors
        actors = A.actors(rec, A.target(asker)) if asker is not None else []
    if not recipients and tok.pos_ == "NOUN" and tok.dep_ == "dobj":
        # "held a strike against the minister": the verb carrying the noun holds the phrase
        recipients = [a for r in A.recipients(tok.head) if r.i != tok.i
                      for a in A.actors(rec, A.target(r))]
    if not recipients:
        recipients = [a for r in A.deep_recipients(tok) for a in A.actors(rec, A.target(r))]
    when = W.event_date(rec, tok, sent_span.sentence, owners)
    flags = modality.flags(tok, rec.article.published, when, etype)
    if row is None and etype in ("AGREE", "THREATEN", "REQUEST", "REJECT"):
        flags["future"] = False  # a promise or threat about the future is made now
    if when is None and not flags.get("future") and not flags.get("hypothetical") \
            and not W.backdrop(tok):
        when = pub  # a report in the present or past tense: the event is of the day
    mode = _mode(row, etype, tok)
    counts = W.counts(rec, tok, sent_span.sentence, etype)
    place = None
    finder = getattr(places, "event_place", None)
    if finder is not None:
        place = finder(tok.doc, rec, tok, addressed=etype in _ADDRESSED)
        place = actor_home(etype, actors, recipients, place, sent_span.sentence) or place
    # a located place of the event's own sentence, not the article's main place
    here = place if place is not None and place.country and place.span is not None \
        and place.span.sentence == sent_span.sentence else None
    if etype == "ASSAULT":
        recipients = [a for a in recipients if not _ground(rec, a)]
    host = etype in _HOST_TYPES or (etype == "CONSULT" and F.lemma(tok) in _VISITS)
    if not recipients and host and here is not None \
            and here.country not in {a.code for a in actors}:
        # "the Kenyan president arrived in Kampala", "troops withdrew from Lebanon": a visit, a
        # deployment or a withdrawal is received by the state whose ground it is on
        recipients = [Actor(here.span.text, here.country, "", here.span)]
    if not _gathering(etype, tok.sent):
        _code_from_context(rec, here, sent_span.sentence, actors + recipients)
    rsector = recipients[0].sector if recipients else ""
    trigger = tok.text
    prt = [c.text for c in tok.children if c.dep_ == "prt"]
    if prt:
        trigger += " " + prt[0]
    ev = Event(
        id="", type=etype, mode=mode, contexts=_contexts(sent), actors=actors,
        recipients=recipients, place=place, date=when, confidence=round(p, 4),
        trigger=trigger, spans=[sent_span], **counts,
        **{k: bool(flags.get(k)) for k in ("negated", "future", "hypothetical", "historical")},
    )
    for key, value in describe(etype, mode, rsector).items():
        setattr(ev, key, value)
    return ev


def _code_from_context(rec: ArticleRecord, here: Place | None, sentence: int,
                       sides: list[Actor]) -> None:
    """An actor the coder could not place ("President Laurent Gbagbo", "ethnic Albanians",
    "the opposition coalition") takes the country where the event happens, or the one
    country the sentence names as a place: domestic politics is the common case. IGOs and
    NGOs keep their codes; nothing is guessed when the sentence names several countries, nor
    for a group named after a region (``data/regional_peoples.txt``: "African leaders"
    at a summit in Nairobi are not Kenyan)."""
    if not any(not a.code for a in sides):
        return
    if here is not None:
        country = here.country
    else:
        named = {p.country for p in rec.places
                 if p.country and p.span is not None and p.span.sentence == sentence}
        country = named.pop() if len(named) == 1 else ""
    if country:
        for a in sides:
            if not a.code and not _regional(a.text):
                a.code, a.code_inferred = country, True


_SUBNATIONAL = frozenset({"city", "admin1", "region", ""})  # "": a place the gazetteer lacks


def _ground(rec: ArticleRecord, actor: Actor) -> bool:
    """A town or province an attack is aimed at ("retook the town of Baghuz", "encircled
    Afrin") is where it happened, which the place says, not whom it hit; a capital standing
    for its government ("shelled Kabul") has a sector and stays, and so do "residents of
    Aleppo".  A blockade of a city still has the state as its recipient."""
    if actor.sector or actor.span is None or A.headed_by_people(actor.text):
        return False
    return any(p.precision in _SUBNATIONAL and p.span is not None
               and p.span.start < actor.span.end and actor.span.start < p.span.end
               for p in rec.places)


def _gathering(etype: str, sent) -> bool:
    """A meeting, or anything done at a summit: where it happens is where parties from
    elsewhere come together ("the leaders will meet again in Dakar"), so it says nothing of
    whose they are."""
    if etype == "CONSULT":
        return True
    return any(F.lemma(t) in _multilateral_cues() for t in sent)


@functools.cache
def _multilateral_cues() -> frozenset[str]:
    return frozenset(cue for cue, mode in F.mode_cues().get("CONSULT", [])
                     if mode == "multilateral")


def _regional(text: str) -> bool:
    low = text.lower()
    words = set(low.split())
    return any(w in words if " " not in w else w in low for w in F.regional_peoples())


def _assign_ids(rec: ArticleRecord, events: list[Event]) -> list[Event]:
    for n, ev in enumerate(events, 1):
        ev.id = f"{rec.id}-E{n}"
        ev.spans.sort(key=lambda s: s.start)
    return events
