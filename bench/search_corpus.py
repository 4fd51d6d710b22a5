"""The synthetic corpus and queries of ``bench/search.py``: community-safety writing, fixed seed.

Items read like the forum's content: a title naming a scheme, a workstream and a kind of
document, and a ~300-word body drawn from the partnership's vocabulary mixed with ordinary
English, words following a Zipf-like distribution as real text does (a few very common, a long
tail of rare ones). Every item carries one workstream, for the filtered queries.
"""

import json
import random
from pathlib import Path

SEED = 20251126

WORKSTREAMS = [
    "anti-social-behaviour",
    "hate-crime",
    "street-homelessness",
    "restorative-justice",
    "integrated-offender-management",
    "youth-offending-deterrence",
    "fly-tipping",
    "taxi-licensing",
    "domestic-abuse",
    "county-lines",
    "modern-slavery",
    "community-triggers",
]

SCHEMES = """Pan-Sussex Kent Essex Norfolk Suffolk Devon Cornwall Dorset Wiltshire Hampshire Surrey
Thames-Valley Cumbria Lancashire Merseyside Cheshire Staffordshire Warwickshire Leicestershire
Nottinghamshire Derbyshire Lincolnshire Humberside Cleveland Durham Northumbria Gwent Dyfed-Powys
North-Wales South-Wales Avon-Somerset Gloucestershire West-Mercia Bedfordshire Hertfordshire
Cambridgeshire""".split()

KINDS = """memorandum understanding information-sharing agreement terms reference data protection
impact assessment template guidance protocol procedure case study toolkit briefing report
evaluation review minutes action plan policy framework checklist""".split()

DOMAIN = """anti-social behaviour hate crime street homelessness restorative justice integrated
offender management youth offending deterrence fly-tipping taxi licensing partnership police
council district county fire rescue trading standards housing provider landlord tenancy
health mental adult social care safeguarding victim witness perpetrator offender complainant
vulnerable vulnerability risk assessment threat harm referral case caseworker coordinator
officer constable sergeant inspector neighbourhood community warden patrol hotspot incident
report complaint nuisance noise vandalism graffiti criminal damage arson drug alcohol begging
rough sleeping outreach hostel accommodation eviction injunction closure order notice
warning letter acceptable contract civil criminal behaviour order dispersal protection
public spaces prohibition enforcement sanction escalation mediation conference panel
meeting steering group chair agenda minutes action owner deadline review governance
memorandum agreement consent disclosure lawful basis processing controller processor
retention deletion audit access request subject rights breach encryption login password
training onboarding pilot live planned rollout module workstream dashboard supplier
development request feature defect release upgrade migration integration export import
template guidance exemplar success outcome evidence figures reduction repeat victimisation
demand resilience multi-agency information sharing secure system record note attachment
flag alert threshold priority tasking problem-solving scanning analysis response
assessment intervention diversion engagement prevention early help family school pupil
exclusion youth worker probation prison release licence resettlement housing benefit
universal credit debt employment skills volunteering faith leaders businesses shopkeepers
licensing hackney carriage private hire driver vehicle operator suspension revocation
waste enforcement littering dumping camera surveillance evidence prosecution fixed penalty
court magistrates hearing adjournment sentence compliance breach monitoring tag curfew
county lines exploitation grooming trafficking slavery cuckooing sex work online fraud
scam cyber doorstep rogue trader elderly dementia carers loneliness isolation wellbeing""".split()

ENGLISH = """the of and to in a is that for it as was with be by on not he this are or his from
at which but have an they you were her she there been one all we their has would when if so
no will can more about what up out them some into only its time could new two may then do any
like my now over such our man me even most made after also did many before must through back
years where much your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life being under never
day same another know while last might us great old year off come since against go came right
used take three place around however home small found thought went say part once general high
upon school every don does got united left number course war until always away something fact
though water less public put think almost hand enough far took head yet government system
better set told nothing night end why called didn eyes find going look asked later knew point
next program city business give group toward young days let room president side social given
present several order national possible rather second face per among form important often
things looking early white case john become large big need four within felt along children
saw best church ever least power development light thing seemed family interest want members
mind area country others although turned done open god service certain kind problem began
different door thus help sense means whole matter perhaps itself york times law human line
above name example action company hands local show five history whether gave either act feet
across taken past quite anything seen having death week experience body word half really
field am car words already themselves information tell together college shall money period
held keep sure real probably free seems political cannot behind miss question air office
making brought whose special major heard problems federal became study ago moment available
known result street economic boy position reason change south board individual job areas
society west close turn love community true court force full seem am policy further""".split()


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Domain words and ordinary English, shuffled into one Zipf-weighted list."""
    words = list(dict.fromkeys(DOMAIN + ENGLISH))
    rng.shuffle(words)
    return words, _zipf_weights(len(words), 0.9)


def generate(size: int, seed: int = SEED):
    """Yield ``size`` items as dicts (title, body, workstream), the same every time."""
    rng = random.Random(seed)
    words, weights = vocabulary(rng)
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    domain_words = [w for w in DOMAIN if len(w) > 3]
    for number in range(size):
        workstream = WORKSTREAMS[rng.randrange(len(WORKSTREAMS))]
        title_words = [rng.choice(SCHEMES), workstream.replace("-", " ")]
        title_words += rng.sample(domain_words, rng.randint(1, 3)) + rng.sample(KINDS, rng.randint(1, 2))
        body_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(260, 340))
        sentences = []
        for start in range(0, len(body_words), 15):
            sentence = " ".join(body_words[start : start + 15])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        yield {
            "title": " ".join(title_words).capitalize() + f" ({number})",
            "body": " ".join(sentences),
            "workstream": workstream,
        }


def write_corpus(path: Path, size: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for item in generate(size):
            out.write(json.dumps(item) + "\n")


def read_corpus(path: Path, size: int) -> list[dict]:
    items = []
    with open(path, encoding="utf-8") as corpus:
        for line in corpus:
            if len(items) == size:
                break
            items.append(json.loads(line))
    return items


def queries(count: int = 200, seed: int = SEED + 1) -> list[tuple[str, str]]:
    """``count`` varied one-to-three-word queries, each with a workstream for its filtered run.

    Mostly domain words (what people search a practice forum for), some ordinary English, in
    every combination of common and rare.
    """
    rng = random.Random(seed)
    domain = [w for w in dict.fromkeys(DOMAIN) if len(w) > 2]
    english = [w for w in dict.fromkeys(ENGLISH) if len(w) > 3]
    result = []
    for _ in range(count):
        size = rng.choice([1, 1, 2, 2, 2, 3])
        pool = domain if rng.random() < 0.8 else english
        text = " ".join(rng.sample(pool, size))
        result.append((text, rng.choice(WORKSTREAMS)))
    return result
