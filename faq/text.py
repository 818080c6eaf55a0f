"""Text normalisation for the FAQ search index (German and English).

Everything here is applied identically to article text at index time and to
customer queries at search time, so the two always meet on the same terms:

* ``tokenize``       words of a text, hyphenated compounds kept together
* ``fold``           lower case, umlauts and their ue/ae/oe spellings folded
                     (``Rücksendung``, ``Ruecksendung``, ``Rucksendung`` -> ``rucksendung``)
* ``stem``           a light stemmer (German: CISTEM-like with participle and
                     ``-ung`` handling; English: Snowball/Porter2)
* ``is_stopword``    function words plus question words, greetings and filler
                     typical of customer messages
* ``markdown_to_text`` plain text of an article body (for snippets)
* ``load_synonyms``  the maintained synonym groups in ``faq/synonyms.<lang>.txt``
"""

from __future__ import annotations

import functools
import pathlib
import re
import unicodedata

from whoosh.lang import stemmer_for_language, stopwords_for_language

# A word: letters/digits, optionally joined by hyphens or apostrophes.
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def tokenize(text: str) -> list[str]:
    """Words of ``text`` in order (original case kept)."""
    return _WORD_RE.findall(text)


def tokenize_spans(text: str) -> list[tuple[int, int, str]]:
    """Words with their character offsets (for highlighting)."""
    return [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]


# --------------------------------------------------------------------------- folding

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})
_VOWELS = set("aeiouy")
# ae/oe/ue typed for ä/ö/ü; not after a vowel (neue, teuer, bauen) or q (Quelle)
_DIGRAPH_RE = re.compile(r"(?<![aeiouyq])([aou])e")


@functools.lru_cache(maxsize=200_000)
def fold(word: str, lang: str) -> str:
    """Lower-case, fold umlauts/diacritics and (German) the ae/oe/ue spellings."""
    w = word.lower().translate(_UMLAUTS)
    w = w.replace("’", "").replace("'", "")
    if not w.isascii():
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    if lang == "de":
        w = _DIGRAPH_RE.sub(r"\1", w)
    return w


# --------------------------------------------------------------------------- stemming

# Separable verb prefixes: "zurückgeschickt" -> "zurückschickt", "angekommen" -> "ankommen".
_SEP_PREFIXES = (
    "zuruck",
    "zusammen",
    "heraus",
    "herunter",
    "wieder",
    "vorbei",
    "weiter",
    "durch",
    "nach",
    "fest",
    "frei",
    "hoch",
    "auf",
    "aus",
    "bei",
    "ein",
    "her",
    "hin",
    "los",
    "mit",
    "vor",
    "weg",
    "um",
    "ab",
    "an",
    "zu",
)
# participles incl. adjective endings: geliefert, gelieferte(n/r/s/m), angekommen(e/en)
_PART_END = r"(?:t|te|ten|ter|tes|tem|en|ene|enen|ener|enes|enem)"
SEP_PREFIXES = _SEP_PREFIXES
_SEP_GE_RE = re.compile(rf"^({'|'.join(_SEP_PREFIXES)})ge(.{{3,}}{_PART_END})$")
_GE_RE = re.compile(rf"^ge(.{{4,}}{_PART_END})$")
_en_stem = stemmer_for_language("en")


def _stem_de(w: str) -> str:
    """CISTEM-like light stemmer (Weissweiler & Fraser 2017) on a folded word,
    case-insensitive variant, plus ``-ung`` removal and ge-participles."""
    if len(w) <= 3 or not w.isalpha():
        return w
    m = _SEP_GE_RE.match(w)
    if m:
        w = m.group(1) + m.group(2)
    else:
        m = _GE_RE.match(w)
        if m:
            w = m.group(1)
    # "sch", "ei", "ie" count as one letter; doubled letters are protected
    w = w.replace("sch", "$").replace("ei", "%").replace("ie", "&")
    w = re.sub(r"(.)\1", r"\1*", w)
    if len(w) > 5 and w.endswith("ungen"):
        w = w[:-5]
    elif len(w) > 5 and w.endswith("ung"):
        w = w[:-3]
    while len(w) > 3:
        if len(w) > 5 and (w.endswith("em") or w.endswith("er")):
            w = w[:-2]
            continue
        if w[-1] in "tesn":
            w = w[:-1]
            continue
        break
    w = re.sub(r"(.)\*", r"\1\1", w)
    return w.replace("&", "ie").replace("%", "ei").replace("$", "sch")


# Porter2 merges words of different meaning that customers use side by side:
# "instalment" (paying in parts) and "installation" both become "instal".
_EN_KEEP = {
    "instalment": "instalment",
    "instalments": "instalment",
    "installment": "instalment",
    "installments": "instalment",
}


def _stem_en(w: str) -> str:
    if len(w) <= 3 or not w.isalpha():
        return w
    if w in _EN_KEEP:
        return _EN_KEEP[w]
    s = _en_stem(w)
    # Porter2 leaves "deliveri"/"deliv", "categori"/"categor": drop the y->i artefact
    if len(s) > 5 and s.endswith("i"):
        s = s[:-1]
    return s


@functools.lru_cache(maxsize=200_000)
def stem(folded: str, lang: str) -> str:
    """Stem of an already folded word."""
    if lang == "de":
        return _stem_de(folded)
    return _stem_en(folded)


@functools.lru_cache(maxsize=200_000)
def norm(word: str, lang: str) -> str:
    """fold + stem: the index term of a word (cached: snippets normalise every body word)."""
    return stem(fold(word, lang), lang)


def word_forms(word: str, lang: str) -> list[str]:
    """Index terms for one token: the whole word and, for hyphenated words,
    the joined form plus each part (``E-Mail-Adresse`` -> emailadress, email?, adress)."""
    if "-" not in word:
        return [norm(word, lang)]
    parts = [p for p in word.split("-") if p]
    out = [norm("".join(parts), lang)]
    out.extend(norm(p, lang) for p in parts if len(p) > 1)
    return out


# --------------------------------------------------------------------------- stopwords

_EXTRA_STOP = {
    "de": """
        ab aber abgesehen ach acht all alle allein allerdings als also am an andere anderen
        auch auf aus bei beim bekannt bereits besonders bevor bin bis bisher bist bitte bzw
        da dabei dadurch dafur dagegen daher dahin damals damit danach daneben dank danke
        dann daran darauf daraus darf darfst darin darum darunter das dass davon davor dazu
        dein deine dem den denen denn dennoch der deren des deshalb dessen dich die dies
        diese dieser dieses dir doch dort du durch durfen eben ebenfalls eigentlich ein eine
        einem einen einer eines einfach einmal einige er erst es etwa etwas euch euer eure
        euren eurer ganz gar gehabt geht gemacht genau gerade gern gerne gestern gibt ging
        gleich gruss grusse gruß grüße guten hab habe haben habt hallo hallochen halt hast
        hat hatte hatten hätte hätten heisst heißt heute hey hi hier hiermit hin hinter
        hoffe ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im immer in ins irgendwie
        irgendwo ist ja je jede jedem jeden jeder jedes jemand jetzt kann kannst kein keine
        keinem keinen keiner konnen konnt konnte konnten könnt lg liebe lieben lieber leider
        mal man manchmal mein meine meinem meinen meiner meines mfg mich mir mit moin
        mochte mochten möchte möchten muss musste mussen müssen müsste nach naja natürlich
        nein neulich nicht nichts noch nun nur ob oder ohne okay ok per schon sehr sein
        seine sei seid selbst servus sich sie sind so sodass sogar solche soll sollen
        sollte sollten sonst sowie tag tun uber über um und uns unser unsere unserem
        unseren unter usw viel viele vielen vielleicht vom von vor wann war waren warum
        was weil welche welchem welchen welcher welches wem wen wenn wer werde werden
        weshalb wie wieso wieviel wieviele wir wird wirklich wo wobei wofur wohl
        wollen wollte wurde wurden würde würden zu zum zur zwar zwischen geehrte geehrter
        geehrtes damen herren freundlichen freundlichem team tschuss tschüss hätt mache
        machen macht gemacht tue bekommt bekomme bekommen kriege kriegen krieg geben
        gebt gehen gehe bzgl bezüglich betreff betr frage fragen info
        infos möglich moglich problem probleme hilfe helfen helft lassen lasse lässt lasst mehr
        seit obwohl trotzdem ständig dauernd andauernd mehrmals öfter oft ne nen nem ner
        grad gerad irgendein irgendeine irgendeinen irgendeinem irgendwann irgendwie eh echt
        total voll ziemlich bloß wohl morgen vorgestern übermorgen neulich kürzlich vorhin
        letzte letzten letzter letztes nächste nächsten nächster nächstes bereits inzwischen
        mittlerweile momentan aktuell derzeit zurzeit jemals nie niemals schnellstmöglich
        dringend eventuell ggf bitte danke vielen dank voraus sagt sagen gesagt meint meinte
        steht kommt kam gekommen komme kommen dauert klar ok alles jemand leute statt anstatt
        raus rein drauf drin rum
        dachte denke denken glaube glaubte vermute anscheinend scheinbar offenbar endlich
        sowohl weder jedoch allerdings übrigens ubrigens
    """,
    "en": """
        a about above after again against all also am an and any are aren't as at be
        because been before being below between both but by can cannot could couldn't
        did didn't do does doesn't doing don't down during each few for from further get
        gets getting got had hasn't have haven't having he her here hers herself him
        himself his how i i'd i'm i've if in into is isn't it it's its itself just let
        me more most my myself no nor not now of off on once only or other ought our ours
        ourselves out over own please same she should so some such than thank thanks that
        the their theirs them themselves then there these they this those through to too
        under until up very was wasn't we were what when where which while who whom why
        will with won't would wouldn't you your yours yourself yourselves hi hello hey
        dear regards best kind sincerely cheers team sir madam thx pls hope wondering
        anyone someone something anything really actually already still yet even also
        need want wanted like would do did does done make made happen happens happened
        know tell question questions help possible problem issue ok okay yes please
        able go going went gonna wanna guys hey can't cant wont dont didnt doesnt isnt
        im ive id i'll ill arent wasnt couldnt wouldnt shouldnt come came comes coming
        got gets give gave put took say said seem seems
        since yesterday today tomorrow tonight ago last next every always never often
        constantly repeatedly keeps sometimes recently currently soon urgently asap says
        saying told tried trying try look looking real right sure almost maybe though
        although anyway whole several many much lot lots bit quite pretty totally
        literally basically apparently hi there everyone guys folks thank thanks advance
        whether either neither within without upon via anymore think thinking thought
        guess suppose supposed unfortunately luckily hopefully finally however
    """,
}


@functools.cache
def _stopset(lang: str) -> frozenset[str]:
    words = set(stopwords_for_language(lang)) | set(_EXTRA_STOP[lang].split())
    words = {w.rstrip("?") for w in words}
    return frozenset({w for w in words} | {fold(w, lang) for w in words})


# Words that frame a question rather than name its topic ("Welche Möglichkeiten
# gibt es ...", "which ways can I ..."): kept, but with little weight.
_LIGHT = {
    "de": """
        möglichkeit möglichkeiten moglichkeit moglichkeiten art arten weise weg wege option
        optionen variante sache sachen ding dinge fall fälle thema themen frage fragen info
        infos information informationen anliegen hinweis hinweise details detail grund
        irgendwas irgendetwas bescheid mal mals finden finde findet gefunden
        bedeuten bedeutet bedeutung lohnt lohnen lohnenswert sinnvoll
    """,
    "en": """
        way ways option options possibility possibilities thing things matter case topic
        question questions info information detail details reason kind sort anything
        something find finding found mean means meaning worth worthwhile
    """,
}


@functools.cache
def _lightset(lang: str) -> frozenset[str]:
    words = set(_LIGHT[lang].split())
    return frozenset(words | {fold(w, lang) for w in words})


def is_light_word(word: str, lang: str) -> bool:
    """Generic question-framing nouns (Möglichkeit, Art, way, option ...)."""
    w = word.lower()
    return w in _lightset(lang) or fold(w, lang) in _lightset(lang)


def is_stopword(word: str, lang: str) -> bool:
    w = word.lower()
    stop = _stopset(lang)
    return w in stop or fold(w, lang) in stop


# --------------------------------------------------------------------------- markdown

_MD_RULES = [
    (re.compile(r"```.*?```", re.S), " "),  # fenced code
    (re.compile(r"<!--.*?-->", re.S), " "),  # comments
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links -> text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.M), " "),  # link definitions
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),  # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M), ""),  # list markers
    (re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M), " "),  # rules
    (re.compile(r"^\s*\|?[\s:|-]*-[\s:|-]*\|?\s*$", re.M), " "),  # table separators
    (re.compile(r"\|"), " "),  # table cells
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])[*_](?![\s*_])(.+?)(?<![\s*_])[*_](?![\w*])"), r"\1"),  # italic
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strike
    # plain formatting tags go; anything else (<script> ...) stays as text and is
    # escaped by whoever renders it
    (
        re.compile(
            r"</?(?:br|p|div|span|b|i|u|em|strong|kbd|sup|sub|small|mark|code)\b[^>]*>", re.I
        ),
        " ",
    ),
]
_BLOCK_END_RE = re.compile(r"\n\s*\n")


def markdown_to_text(md: str) -> str:
    """Plain text of a Markdown body. Blocks end with '. ' when they lack
    punctuation, so headings and list items read as sentences."""
    text = md.replace("\r\n", "\n")
    for rx, repl in _MD_RULES:
        text = rx.sub(repl, text)
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            lines.append("")
            continue
        lines.append(line)
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if line[-1] not in '.:!?;,…)"“”»':
            line += "."
        out.append(line)
    return re.sub(r"\s+", " ", " ".join(out)).strip()


# --------------------------------------------------------------------------- synonyms

_FAQ_DIR = pathlib.Path(__file__).resolve().parent


def load_synonyms(lang: str, path: pathlib.Path | None = None) -> list[tuple[list[str], list[str]]]:
    """Synonym rules of ``faq/synonyms.<lang>.txt`` as (sources, targets) pairs.

    One rule a line, ``#`` starts a comment. ``a, b, c`` is a group (every entry
    finds every other: sources = targets = all); ``a, b => x, y`` is one-way
    (a and b also find x and y). Phrases are returned raw; normalising is the
    caller's business.
    """
    p = path or _FAQ_DIR / f"synonyms.{lang}.txt"
    rules: list[tuple[list[str], list[str]]] = []
    if not p.exists():
        return rules
    for raw in p.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            src = [x.strip() for x in left.split(",") if x.strip()]
            dst = [x.strip() for x in right.split(",") if x.strip()]
            if src and dst:
                rules.append((src, dst))
            continue
        items = [x.strip() for x in line.split(",") if x.strip()]
        if len(items) >= 2:
            rules.append((items, items))
    return rules
