#!/usr/bin/python3
"""Generate the data tables of dskv2_slugify (src/core/slugify.cpp).

Run from the repository root, with Debian 12's system Python (unicodedata of
Unicode 14.0.0) and PyICU (python3-icu, ICU 72) so the output is reproducible:

    /usr/bin/python3 scripts/gen_translit.py

It (re)writes two files, which are committed and never regenerated at build or
run time, so a library upgrade can never change a slug:

  src/core/translit_table.inc  code point -> ASCII transliteration, for every
                               code point >= U+0080 (Hangul syllables excepted:
                               slugify.cpp romanises them algorithmically).
                               A two-level table (256-code-point blocks,
                               identical blocks shared) of uint16 ids into a
                               pool of distinct strings kept in one blob.
  src/core/html_entities.inc   the HTML5 named character references (those
                               ending in ';') sorted by name, plus the HTML5
                               remapping of numeric references &#128;..&#159;.

Each translation is a string over [a-z0-9 ]: a space is a word break. Id 0 is
"a separator" (punctuation, symbols, emoji, spaces, controls, unassigned, and
letters we cannot transliterate); id 1 is "nothing" (combining marks, format
characters, letters that transliterate to an apostrophe such as Cyrillic soft
and hard signs: they join their neighbours, as in python-slugify).

Sources, in order of precedence:
  1. hand-written tables below: Greek and Cyrillic base letters (from the
     published romanisations of docs/mapping.md, "Slugs",
     which follow the common ELOT-743-like / BGN-like conventions), a few
     Latin letters, apostrophe-like characters (always a separator);
  2. Python's unicodedata: general category (symbols/punctuation/spaces are
     separators, marks are nothing) and NFKD decomposition (accents stripped,
     ligatures and compatibility forms such as full-width letters, 'ﬁ', '½',
     '²' expanded), applied recursively;
  3. ICU transforms via PyICU (CLDR data): 'Han-Latin' (pinyin, one word per
     ideograph), 'Any-Latin' (kana, Hangul jamo, Arabic, Hebrew, Indic, Thai,
     Armenian, Georgian, Ethiopic...) and 'Latin-ASCII', for letters left
     after steps 1-2;
  4. for Latin letters still non-ASCII, the base letter named in the Unicode
     character name ("LATIN SMALL LETTER TURNED A" -> a).

Licence note: the generated data derives from the Unicode Character Database
and from CLDR/ICU transliteration data, both under the Unicode License
(Unicode-3.0 / Unicode-DFS-2016). No Unidecode table (GPL) is used.
"""

import html
import html.entities
import os
import re
import sys
import unicodedata as ud

import icu

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEP = None      # sentinel: a separator
NOTHING = ''    # joins its neighbours

# --- 1. hand-written tables -------------------------------------------------

GREEK = {
    'α': 'a', 'β': 'b', 'γ': 'g', 'δ': 'd', 'ε': 'e', 'ζ': 'z', 'η': 'e',
    'θ': 'th', 'ι': 'i', 'κ': 'k', 'λ': 'l', 'μ': 'm', 'ν': 'n', 'ξ': 'ks',
    'ο': 'o', 'π': 'p', 'ρ': 'r', 'σ': 's', 'ς': 's', 'τ': 't', 'υ': 'u',
    'φ': 'ph', 'χ': 'kh', 'ψ': 'ps', 'ω': 'o',
}

CYRILLIC = {
    'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ё': 'io',
    'ж': 'zh', 'з': 'z', 'и': 'i', 'й': 'i', 'к': 'k', 'л': 'l', 'м': 'm',
    'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u',
    'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh', 'щ': 'shch',
    'ъ': NOTHING, 'ы': 'y', 'ь': NOTHING, 'э': 'e', 'ю': 'iu', 'я': 'ia',
    # Ukrainian
    'і': 'i', 'ї': 'i', 'є': 'ie', 'ґ': 'g',
    # Belarusian, Serbian, Macedonian (their national Latin alphabets,
    # diacritics stripped)
    'ў': 'u', 'ђ': 'd', 'ј': 'j', 'љ': 'lj', 'њ': 'nj', 'ћ': 'c', 'џ': 'dz',
    'ѓ': 'gj', 'ќ': 'kj', 'ѕ': 'dz',
}

LATIN = {
    'ø': 'o', 'ł': 'l', 'þ': 'th', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ı': 'i',
    'ŀ': 'l', 'ĳ': 'ij', 'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ŋ': 'ng',
    'ĸ': 'q', 'ƒ': 'f', 'ſ': 's', 'ə': 'e', 'ǝ': 'e', 'ʒ': 'z', 'ʃ': 'sh',
    'ƿ': 'w', 'ȝ': 'gh', 'ɣ': 'g', 'ɛ': 'e', 'ɔ': 'o', 'ɑ': 'a', 'ɒ': 'o',
}

# Every apostrophe-like character (and prime/accent look-alikes) separates
# words: "L’IA" -> "l-ia". Most are punctuation or symbols anyway; the
# modifier letters (Lm) and the saltillo (Ll/Lu) must be listed.
APOSTROPHES = [
    0x0027, 0x0060, 0x00B4, 0x02B9, 0x02BA, 0x02BB, 0x02BC, 0x02BD, 0x02BE,
    0x02BF, 0x02C8, 0x02CA, 0x02CB, 0x0374, 0x055A, 0x05F3, 0x2018, 0x2019,
    0x201A, 0x201B, 0x2032, 0x2033, 0x2035, 0xA78B, 0xA78C, 0xFF07, 0xFF40,
]

# Format characters (Cf) normally join; these break words.
FORMAT_SEPARATORS = [0x200B]  # ZERO WIDTH SPACE

# Letter-name words -> romanisation, for letters that neither NFKD nor ICU
# reduce to ASCII ("CYRILLIC CAPITAL LETTER ZHE WITH DESCENDER" -> zh,
# "LATIN SMALL LETTER TURNED A" -> a). Single Latin letters map to themselves.
NAME_WORDS = {
    'LATIN': {
        'SCHWA': 'e', 'EZH': 'z', 'ESH': 'sh', 'ENG': 'ng', 'ETH': 'd',
        'THORN': 'th', 'YOGH': 'gh', 'WYNN': 'w', 'AE': 'ae', 'OE': 'oe',
        'ALPHA': 'a', 'IOTA': 'i', 'UPSILON': 'u', 'GAMMA': 'g', 'CHI': 'kh',
        'PHI': 'ph', 'BETA': 'b', 'OMEGA': 'o', 'DELTA': 'd', 'LAMBDA': 'l',
        'SIGMA': 's', 'THETA': 'th', 'HWAIR': 'hv', 'YR': 'yr', 'OU': 'ou',
    },
    'GREEK': {
        'ALPHA': 'a', 'BETA': 'b', 'GAMMA': 'g', 'DELTA': 'd', 'EPSILON': 'e',
        'ZETA': 'z', 'ETA': 'e', 'THETA': 'th', 'IOTA': 'i', 'KAPPA': 'k',
        'LAMDA': 'l', 'MU': 'm', 'NU': 'n', 'XI': 'ks', 'OMICRON': 'o',
        'PI': 'p', 'RHO': 'r', 'SIGMA': 's', 'TAU': 't', 'UPSILON': 'u',
        'PHI': 'ph', 'CHI': 'kh', 'PSI': 'ps', 'OMEGA': 'o', 'DIGAMMA': 'w',
        'HETA': 'h', 'SAN': 's', 'KOPPA': 'q', 'SAMPI': 'ss', 'STIGMA': 'st',
        'SHO': 'sh', 'YOT': 'j',
    },
    'CYRILLIC': {
        'A': 'a', 'BE': 'b', 'VE': 'v', 'GHE': 'g', 'DE': 'd', 'IE': 'e',
        'ZHE': 'zh', 'ZE': 'z', 'I': 'i', 'KA': 'k', 'EL': 'l', 'EM': 'm',
        'EN': 'n', 'O': 'o', 'PE': 'p', 'ER': 'r', 'ES': 's', 'TE': 't',
        'U': 'u', 'EF': 'f', 'HA': 'kh', 'TSE': 'ts', 'CHE': 'ch', 'SHA': 'sh',
        'SHCHA': 'shch', 'YERU': 'y', 'E': 'e', 'YU': 'iu', 'YA': 'ia',
        'SCHWA': 'a', 'SHHA': 'h', 'OMEGA': 'o', 'OT': 'ot', 'YAT': 'e',
        'FITA': 'f', 'IZHITSA': 'i', 'KSI': 'ks', 'PSI': 'ps', 'DZE': 'dz',
        'DZHE': 'dz', 'JE': 'j', 'LJE': 'lj', 'NJE': 'nj', 'TSHE': 'c',
        'DJE': 'd', 'UK': 'u', 'YI': 'i', 'ZEMLYA': 'z', 'DZELO': 'dz',
        'DWE': 'dw', 'DZWE': 'dzw', 'ZHWE': 'zhw', 'CCHE': 'cch', 'DZZE': 'dzz',
        'TWE': 'tw', 'TSWE': 'tsw', 'TSSE': 'tss', 'TCHE': 'tch', 'HWE': 'hw',
        'SHWE': 'shw', 'LHA': 'lh', 'RHA': 'rh', 'YAE': 'iae', 'QA': 'q',
        'WE': 'w', 'ALEUT': '', 'KOMI': '', 'ABKHASIAN': '', 'BASHKIR': '',
        'YUS': 'u', 'ELL': 'l', 'EMM': 'm', 'ENN': 'n', 'TTE': 't',
        'SJE': 'sj', 'ZJE': 'zj', 'DCHE': 'dch', 'GJE': 'gj', 'KJE': 'kj',
        'DZZHE': 'dzzh',
    },
}

# Name words that modify a base letter without changing its romanisation.
NAME_MODIFIERS = {
    'SMALL', 'CAPITAL', 'TURNED', 'REVERSED', 'INVERTED', 'OPEN', 'CLOSED',
    'SIDEWAYS', 'BARRED', 'DOTLESS', 'LONG', 'SCRIPT', 'STRAIGHT', 'ROUND',
    'BROAD', 'BLENDED', 'LITTLE', 'BIG', 'MONOGRAPH', 'HALF',
    'MODIFIER', 'LETTER', 'LIGATURE', 'ARCHAIC', 'PAMPHYLIAN',
    'LUNATE', 'SYMBOL', 'DOTTED', 'TALL', 'SOFT', 'HARD', 'IOTIFIED',
    'MULTIOCULAR', 'DOUBLE', 'BINOCULAR', 'CROSSED', 'NEUTRAL', 'LEFT',
    'RIGHT', 'MIDDLE', 'STRETCHED', 'SHORT', 'FLATTENED', 'HOOKED', 'BELTED',
    'RETROFLEX', 'CURLED', 'OLD', 'POLISH', 'CHUVASH', 'UKRAINIAN', 'BYELORUSSIAN-UKRAINIAN',
}

# Quote-like characters that transliteration may generate ("ʿ" for Arabic
# ayin, "'" ...): dropped, joining the neighbours, like python-slugify's
# removal of generated quotes.
GENERATED_QUOTES = set("'`´ʹʺʻʼʽʾʿˈˊˋ‘’‛′″~\"")

HAN_RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)]
HANGUL_SYLLABLES = (0xAC00, 0xD7A3)

ANY_LATIN = icu.Transliterator.createInstance('Any-Latin; Latin-ASCII')
HAN_LATIN = icu.Transliterator.createInstance('Han-Latin; Latin-ASCII')
LATIN_ASCII = icu.Transliterator.createInstance('Latin-ASCII')


def hand_table():
    table = {}
    for src in (GREEK, CYRILLIC, LATIN):
        for ch, out in src.items():
            table[ord(ch)] = out
            up = ch.upper()
            if len(up) == 1 and up != ch:
                table[ord(up)] = out
    # The capital of ß is ẞ; of ĸ, none.
    table[0x1E9E] = 'ss'
    for cp in APOSTROPHES + FORMAT_SEPARATORS:
        table[cp] = SEP
    # L WITH MIDDLE DOT: NFKD would give "l·" (a break); it is one letter.
    table[0x013F] = 'l'
    table[0x0140] = 'l'
    return table


HAND = hand_table()

# --- 2-4. derived ------------------------------------------------------------


def clean(text, depth):
    """ICU output -> string over [a-z0-9 ], or SEP / NOTHING.

    Non-ASCII letters left by ICU (say 'Ə' for Cyrillic 'Ә') are translated
    recursively; generated quotes and marks vanish (join)."""
    parts = []
    for ch in text:
        if ch in GENERATED_QUOTES or ud.category(ch)[0] in 'M':
            parts.append(NOTHING)
        elif ch.isascii():
            parts.append(ch.lower() if ch.isalnum() else SEP)
        elif depth < 4:
            parts.append(translate(ord(ch), depth + 1))
        else:
            parts.append(SEP)
    return join(parts)


def script_of(ch):
    try:
        return ud.name(ch).split(' ')[0]
    except ValueError:
        return ''


def by_name(ch):
    """Romanisation from the character name, for Latin, Greek, Cyrillic."""
    words = ud.name(ch, '').split(' ')
    table = NAME_WORDS.get(words[0])
    if table is None:
        return None
    if 'WITH' in words:
        words = words[:words.index('WITH')]
    ligature = 'LIGATURE' in words
    out = []
    for w in words[1:]:
        if w in table and (table[w] or ligature):
            out.append(table[w])
            if not ligature:
                break
        elif words[0] == 'LATIN' and len(w) == 1 and w.isalpha():
            out.append(w.lower())
            if not ligature:
                break
        elif w in NAME_MODIFIERS or w in table:
            continue
        else:
            return None
    return ''.join(out) or None


def join(parts):
    """Concatenate translations (SEP -> ' ', NOTHING -> '')."""
    s = ''.join(' ' if p is SEP else p for p in parts)
    s = re.sub(' +', ' ', s)
    if not s.strip():
        return SEP if ' ' in s else NOTHING
    return s


def translate(cp, depth=0):
    """Translation of one code point: SEP, NOTHING or a [a-z0-9 ] string."""
    if cp < 0x80:
        ch = chr(cp)
        return ch.lower() if ch.isalnum() else SEP
    if cp in HAND:
        return HAND[cp]
    ch = chr(cp)
    cat = ud.category(ch)
    if cat in ('Mn', 'Mc', 'Me'):
        return NOTHING
    if cat == 'Cf':
        return NOTHING
    if cat[0] in 'SPZC':
        # Symbols (emoji, currency, (c), TM, ...) are dropped even when NFKD
        # would spell them out; punctuation, spaces, controls break words.
        return SEP
    script = script_of(ch)
    if (script not in ('LATIN', 'GREEK', 'CYRILLIC') and cat[0] == 'L'
            and ud.normalize('NFD', ch) != ch):
        # Canonical decompositions outside Latin/Greek/Cyrillic carry sound
        # (voiced kana が, Indic nukta, Hebrew dagesh): ask ICU first.
        raw = ANY_LATIN.transliterate(ch)
        if raw != ch and 0x20000 > cp:
            r = clean(raw, depth)
            if isinstance(r, str) and r:
                return r
    nfkd = ud.normalize('NFKD', ch)
    if nfkd != ch:
        return join(translate(ord(c), depth + 1) for c in nfkd)
    if cat == 'Nd':
        return str(ud.digit(ch))
    if cat in ('Nl', 'No'):
        v = ud.numeric(ch, None)
        if v is not None and v == int(v) and v >= 0:
            return str(int(v))
        return SEP
    # Letters.
    if any(lo <= cp <= hi for lo, hi in HAN_RANGES):
        raw = HAN_LATIN.transliterate(ch)
        r = clean(raw, depth) if raw != ch else SEP
        if r is SEP or r is NOTHING:
            return SEP
        return ' ' + r.strip() + ' '  # each ideograph is a word
    if 0x20000 <= cp < 0xE0000:
        return SEP  # CJK extensions B+ and other plane 2/3 letters: dropped
    raw = (LATIN_ASCII if script == 'LATIN' else ANY_LATIN).transliterate(ch)
    r = clean(raw, depth) if raw != ch else SEP
    if script == 'BOPOMOFO' and isinstance(r, str):
        r = r.rstrip('0123456789')  # ICU appends tone numbers
    if r is SEP:
        r = by_name(ch) or SEP
    if r is SEP and cat == 'Lm':
        # Untransliterable modifier letters (length marks, the prolonged
        # sound mark...) join rather than break.
        return NOTHING
    return r


# --- output ------------------------------------------------------------------

HEADER = """\
// GENERATED by scripts/gen_translit.py -- do not edit by hand.
// Data derived from the Unicode Character Database (Python {pyver} unicodedata,
// Unicode {udver}) and CLDR/ICU {icuver} transliteration data: Unicode License.
"""


def c_string_lines(data, width=96):
    lines = []
    for i in range(0, len(data), width):
        lines.append('    "' + data[i:i + width] + '"')
    return '\n'.join(lines) if lines else '    ""'


def num_lines(values, per_line=24, indent='    '):
    out = []
    for i in range(0, len(values), per_line):
        out.append(indent + ','.join(str(v) for v in values[i:i + per_line]) + ',')
    return '\n'.join(out)


def gen_translit():
    pool = {SEP: 0, NOTHING: 1}
    strings = ['', '']
    ids = [0] * 0x110000
    for cp in range(0x80, 0x110000):
        if HANGUL_SYLLABLES[0] <= cp <= HANGUL_SYLLABLES[1]:
            continue  # algorithmic in slugify.cpp
        if 0xD800 <= cp <= 0xDFFF:
            continue  # never decoded
        t = translate(cp)
        if t not in pool:
            pool[t] = len(strings)
            strings.append(t)
        ids[cp] = pool[t]
    assert len(strings) < 0x10000
    for s in strings[2:]:
        assert re.fullmatch('[a-z0-9 ]+', s) and re.search('[a-z0-9]', s), repr(s)

    offsets = [0]
    blob = ''
    for s in strings:
        blob += s
        offsets.append(len(blob))

    blocks = []
    block_ids = {}
    index = []
    for b in range(0x1100):
        blk = tuple(ids[b * 256:(b + 1) * 256])
        if blk not in block_ids:
            block_ids[blk] = len(blocks)
            blocks.append(blk)
        index.append(block_ids[blk])

    parts = [HEADER.format(pyver=sys.version.split()[0], udver=ud.unidata_version,
                           icuver=icu.ICU_VERSION)]
    parts.append('// Included by slugify.cpp inside an anonymous namespace.\n')
    parts.append('// Translation id 0 = separator, 1 = nothing; id i >= 2 is\n'
                 '// kTranslitBlob[kTranslitOffsets[i] .. kTranslitOffsets[i + 1]),\n'
                 '// a string over [a-z0-9 ] where a space breaks words.\n')
    parts.append(f'constexpr std::size_t kTranslitCount = {len(strings)};\n')
    parts.append('constexpr char kTranslitBlob[] =\n' + c_string_lines(blob) + ';\n')
    parts.append(f'constexpr std::uint32_t kTranslitOffsets[{len(offsets)}] = {{\n'
                 + num_lines(offsets, 16) + '\n};\n')
    parts.append('// Block of code point cp: kTranslitBlocks[kTranslitBlockIndex[cp >> 8]].\n')
    parts.append(f'constexpr std::uint16_t kTranslitBlockIndex[0x1100] = {{\n'
                 + num_lines(index, 32) + '\n};\n')
    body = []
    for i, blk in enumerate(blocks):
        body.append(f'    {{  // {i}\n' + num_lines(list(blk), 32, '     ') + '\n    },')
    parts.append(f'constexpr std::uint16_t kTranslitBlocks[{len(blocks)}][256] = {{\n'
                 + '\n'.join(body) + '\n};\n')
    path = os.path.join(ROOT, 'src', 'core', 'translit_table.inc')
    with open(path, 'w', encoding='ascii', newline='\n') as f:
        f.write('\n'.join(parts))
    print(f'{path}: {len(strings)} strings, blob {len(blob)} bytes, '
          f'{len(blocks)} blocks, {os.path.getsize(path)} bytes of source')


def gen_entities():
    entries = []
    for name, value in html.entities.html5.items():
        if not name.endswith(';'):
            continue  # legacy forms without ';' are not decoded ("AT&T")
        name = name[:-1]
        cps = [ord(c) for c in value]
        assert 1 <= len(cps) <= 2 and len(name) <= 32
        entries.append((name.encode('ascii'), cps + [0] * (2 - len(cps))))
    entries.sort()
    lines = ['// GENERATED by scripts/gen_translit.py -- do not edit by hand.\n'
             f'// From Python {sys.version.split()[0]} html.entities.html5 (the WHATWG HTML\n'
             '// named character references) and html._invalid_charrefs.\n']
    lines.append('// Included by slugify.cpp inside an anonymous namespace.\n'
                 '// HTML5 named character references (without the trailing \';\'),\n'
                 '// sorted bytewise by name for binary search.\n')
    lines.append(f'constexpr std::size_t kHtmlEntityMaxName = '
                 f'{max(len(n) for n, _ in entries)};')
    lines.append(f'constexpr HtmlEntity kHtmlEntities[{len(entries)}] = {{')
    for name, (a, b) in entries:
        lines.append(f'    {{"{name.decode()}", 0x{a:X}, 0x{b:X}}},')
    lines.append('};\n')
    lines.append('// HTML5 numeric reference remapping of &#128;..&#159;\n'
                 '// (Windows-1252), 0 = keep the code point as is.')
    remap = []
    for cp in range(0x80, 0xA0):
        v = html._invalid_charrefs.get(cp)
        remap.append(0 if v is None or ord(v) == cp else ord(v))
    lines.append('constexpr std::uint32_t kHtmlC1Remap[32] = {\n'
                 + num_lines([f'0x{v:X}' for v in remap], 8) + '\n};\n')
    path = os.path.join(ROOT, 'src', 'core', 'html_entities.inc')
    with open(path, 'w', encoding='ascii', newline='\n') as f:
        f.write('\n'.join(lines))
    print(f'{path}: {len(entries)} entities, {os.path.getsize(path)} bytes of source')


if __name__ == '__main__':
    gen_entities()
    gen_translit()
