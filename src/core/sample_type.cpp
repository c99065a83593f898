// dskv2_detect_sample_type (docs/mapping.md, "Sample types"): what a buyer will open.
//
// One pass over bounded views of the inputs: no allocation (stack buffers and
// string_views only), no exception, no regex, sorted static tables searched
// with binary search. Whatever the bytes, at most kMaxHead bytes of head,
// kMaxSource of source and kMaxHint of hint are ever read.
//
// Precedence (docs/mapping.md, "Sample types"):
//   1. strong magic bytes of head (generic containers refined by MIME/extension)
//   2. a host that determines the type
//   3. a specific MIME type (hint, or the MIME of a data: URL)
//   4. the path extension
//   5. weak content sniffing of head (text, HTML, XML, MPEG frame sync...)
//   6. a loose format word in hint ("PDF", "Vidéo", "livre audio")
//   7. link for any other http(s) / www. URL
//   8. unknown
// References: WHATWG MIME Sniffing (signature tables, "binary data byte"),
// libmagic magic(5) entries, the `file-type` npm package, mime-db.
#include "core/sample_type.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string_view>

namespace dskv2::core {
namespace {

using std::string_view;
using Type = SampleType;

// ---------------------------------------------------------------------------
// Bounds
// ---------------------------------------------------------------------------

constexpr std::size_t kMaxHead = 64 * 1024;    // ISO 9660's "CD001" sits at 32769
constexpr std::size_t kMaxSource = 64 * 1024;  // longer sources are cut (data: URLs)
constexpr std::size_t kMaxHint = 512;
constexpr std::size_t kDataSniff = 4096;   // decoded bytes of a data: URL payload
constexpr std::size_t kTextWindow = 4096;  // bytes the text sniffer validates
constexpr std::size_t kMaxExt = 12;        // longest extension considered
constexpr std::size_t kSegmentTail = 256;  // tail of the last path segment decoded
constexpr std::size_t kMaxHost = 255;
constexpr std::size_t kWordBuffer = 192;  // normalised hint
constexpr std::size_t kMaxTokens = 24;

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

// Container formats an extension or MIME type may be stored in (bit set). A
// generic container found in head is refined only by a compatible hint.
enum : std::uint16_t {
    kZip = 1u << 0,
    kOle = 1u << 1,
    kIsoBmff = 1u << 2,
    kMatroska = 1u << 3,
    kAsf = 1u << 4,
    kRar = 1u << 5,
    k7z = 1u << 6,
    kTar = 1u << 7,
    kGzip = 1u << 8,
};

// Extension flags.
enum : std::uint8_t {
    kWeakExt = 1u << 0,  // ambiguous (".ts": MPEG-TS or TypeScript): weak sniffing wins
    kTextual = 1u << 1,  // a text-based format: refines text/plain, application/xml
};

struct ExtEntry {
    string_view name;
    Type type;
    std::uint16_t containers;
    std::uint8_t flags;
};

enum class MimeKind : std::uint8_t {
    kSpecific,     // decides at the MIME level
    kTextGeneric,  // text/plain, xml: refined by a text-based extension (.csv, .svg)
    kGenericZip,   // application/zip & co: refined by a zip-based extension, else archive
    kGenericOle,   // application/x-ole-storage & co: refined by an OLE2 extension, else document
    kIgnored,      // application/octet-stream & co: says nothing
};

struct MimeEntry {
    string_view name;
    Type type;
    std::uint16_t containers;
    MimeKind kind;
};

struct WordEntry {
    string_view name;
    Type type;
    int tier;  // 1: a precise format or product name; 2: a kind of content
};

#include "core/sample_type_tables.inc"

enum class HostRule : std::uint8_t {
    kType,        // the host alone decides
    kGoogleDocs,  // /document, /spreadsheets, /presentation, export?format=
    kDrive,       // folders are link pages; files follow the other levels
    kDropbox,     // likewise
    kCanva,       // /design/... is a presentation
};

struct HostEntry {
    string_view name;
    HostRule rule;
    Type type;
};

// Registrable domains (subdomains match too). Longest suffix wins, so
// music.youtube.com (audio) beats youtube.com (video).
constexpr HostEntry kHosts[] = {
    {"canva.com", HostRule::kCanva, Type::kPresentation},
    {"dai.ly", HostRule::kType, Type::kVideo},
    {"dailymotion.com", HostRule::kType, Type::kVideo},
    {"deezer.com", HostRule::kType, Type::kAudio},
    {"docs.google.com", HostRule::kGoogleDocs, Type::kLink},
    {"drive.google.com", HostRule::kDrive, Type::kLink},
    {"dropbox.com", HostRule::kDropbox, Type::kLink},
    {"loom.com", HostRule::kType, Type::kVideo},
    {"music.apple.com", HostRule::kType, Type::kAudio},
    {"music.youtube.com", HostRule::kType, Type::kAudio},
    {"notion.site", HostRule::kType, Type::kDocument},
    {"notion.so", HostRule::kType, Type::kDocument},
    {"podcasts.apple.com", HostRule::kType, Type::kAudio},
    {"snd.sc", HostRule::kType, Type::kAudio},
    {"soundcloud.com", HostRule::kType, Type::kAudio},
    {"spoti.fi", HostRule::kType, Type::kAudio},
    {"spotify.com", HostRule::kType, Type::kAudio},
    {"spotify.link", HostRule::kType, Type::kAudio},
    {"tiktok.com", HostRule::kType, Type::kVideo},
    {"vimeo.com", HostRule::kType, Type::kVideo},
    {"we.tl", HostRule::kType, Type::kLink},  // WeTransfer: a download page
    {"wetransfer.com", HostRule::kType, Type::kLink},
    {"wi.st", HostRule::kType, Type::kVideo},
    {"wistia.com", HostRule::kType, Type::kVideo},
    {"wistia.net", HostRule::kType, Type::kVideo},
    {"youtu.be", HostRule::kType, Type::kVideo},
    {"youtube-nocookie.com", HostRule::kType, Type::kVideo},
    {"youtube.com", HostRule::kType, Type::kVideo},
};

// Top-level domains that make a bare "name.tld" (no path, no scheme) a web
// address rather than a file name. Hosts with a path are recognised by shape.
constexpr string_view kBareTlds[] = {
    "academy", "app",  "be",   "biz",   "blog",   "ca",   "ch", "cloud", "co",  "com",    "de",  "dev",
    "digital", "eu",   "fr",   "info",  "io",     "live", "lu", "me",    "net", "online", "org", "pro",
    "school",  "shop", "site", "store", "studio", "tech", "tv", "uk",    "us",  "xyz",
};

template <typename Entry, std::size_t N>
constexpr bool SortedUnique(const Entry (&table)[N]) {
    for (std::size_t i = 1; i < N; ++i) {
        if (!(table[i - 1].name < table[i].name)) return false;
    }
    return true;
}

template <std::size_t N>
constexpr bool SortedUnique(const string_view (&table)[N]) {
    for (std::size_t i = 1; i < N; ++i) {
        if (!(table[i - 1] < table[i])) return false;
    }
    return true;
}

static_assert(SortedUnique(kExtensions), "kExtensions must be sorted");
static_assert(SortedUnique(kMimeTypes), "kMimeTypes must be sorted");
static_assert(SortedUnique(kFormatWords), "kFormatWords must be sorted");
static_assert(SortedUnique(kHosts), "kHosts must be sorted");
static_assert(SortedUnique(kBareTlds), "kBareTlds must be sorted");

template <typename Entry, std::size_t N>
const Entry* Lookup(const Entry (&table)[N], string_view key) {
    const Entry* it = std::lower_bound(std::begin(table), std::end(table), key,
                                       [](const Entry& e, string_view k) { return e.name < k; });
    return (it != std::end(table) && it->name == key) ? it : nullptr;
}

template <std::size_t N>
bool Contains(const string_view (&table)[N], string_view key) {
    return std::binary_search(std::begin(table), std::end(table), key);
}

// ---------------------------------------------------------------------------
// Characters and strings (ASCII only: locale-independent and cheap)
// ---------------------------------------------------------------------------

constexpr char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
constexpr bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
constexpr unsigned char Byte(char c) { return static_cast<unsigned char>(c); }

// A literal as a string_view including embedded NULs.
template <std::size_t N>
constexpr string_view Sig(const char (&s)[N]) {
    return string_view(s, N - 1);
}

bool IStartsWith(string_view s, string_view lower_prefix) {
    if (s.size() < lower_prefix.size()) return false;
    for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
        if (ToLower(s[i]) != lower_prefix[i]) return false;
    }
    return true;
}

bool IEquals(string_view s, string_view lower) { return s.size() == lower.size() && IStartsWith(s, lower); }

std::size_t IFind(string_view hay, string_view lower_needle) {
    if (lower_needle.empty() || hay.size() < lower_needle.size()) return string_view::npos;
    for (std::size_t i = 0; i + lower_needle.size() <= hay.size(); ++i) {
        if (ToLower(hay[i]) == lower_needle[0] && IStartsWith(hay.substr(i), lower_needle)) return i;
    }
    return string_view::npos;
}

// Trims ASCII whitespace, NULs and no-break spaces (U+00A0, pasted from web pages).
string_view Trim(string_view s) {
    for (;;) {
        if (!s.empty() && (IsSpace(s.front()) || s.front() == '\0')) {
            s.remove_prefix(1);
        } else if (s.size() >= 2 && Byte(s[0]) == 0xC2 && Byte(s[1]) == 0xA0) {
            s.remove_prefix(2);
        } else {
            break;
        }
    }
    for (;;) {
        if (!s.empty() && (IsSpace(s.back()) || s.back() == '\0')) {
            s.remove_suffix(1);
        } else if (s.size() >= 2 && Byte(s[s.size() - 2]) == 0xC2 && Byte(s[s.size() - 1]) == 0xA0) {
            s.remove_suffix(2);
        } else {
            break;
        }
    }
    return s;
}

// Lowercases s into buf (capacity cap); empty view when s does not fit.
string_view LowerInto(string_view s, char* buf, std::size_t cap) {
    if (s.size() > cap) return {};
    for (std::size_t i = 0; i < s.size(); ++i) buf[i] = ToLower(s[i]);
    return string_view(buf, s.size());
}

// std::string_view::find_first_of calls memchr once per character of s; URL
// parsing is the hot path, so scan once with an inlined predicate instead.
template <typename Pred>
std::size_t FindIf(string_view s, Pred pred) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (pred(s[i])) return i;
    }
    return string_view::npos;
}

template <typename Pred>
std::size_t FindLastIf(string_view s, Pred pred) {
    for (std::size_t i = s.size(); i-- > 0;) {
        if (pred(s[i])) return i;
    }
    return string_view::npos;
}

constexpr bool IsSlash(char c) { return c == '/' || c == '\\'; }
constexpr bool IsQueryStart(char c) { return c == '?' || c == '#'; }
constexpr bool IsAuthorityEnd(char c) { return IsSlash(c) || IsQueryStart(c); }

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// ---------------------------------------------------------------------------
// Head bytes
// ---------------------------------------------------------------------------

class Bytes {
public:
    explicit Bytes(string_view s) : s_(s) {}
    std::size_t size() const { return s_.size(); }
    bool empty() const { return s_.empty(); }
    string_view view() const { return s_; }
    unsigned char operator[](std::size_t i) const { return Byte(s_[i]); }
    bool At(std::size_t offset, string_view sig) const {
        return offset <= s_.size() && s_.size() - offset >= sig.size() &&
               std::memcmp(s_.data() + offset, sig.data(), sig.size()) == 0;
    }
    // Little/big-endian integers; the caller checks the bounds.
    std::uint32_t Le16(std::size_t i) const { return (*this)[i] | (std::uint32_t{(*this)[i + 1]} << 8); }
    std::uint32_t Le32(std::size_t i) const { return Le16(i) | (Le16(i + 2) << 16); }
    std::uint32_t Be32(std::size_t i) const {
        return (std::uint32_t{(*this)[i]} << 24) | (std::uint32_t{(*this)[i + 1]} << 16) |
               (std::uint32_t{(*this)[i + 2]} << 8) | (*this)[i + 3];
    }
    bool Find(string_view needle, std::size_t limit) const {
        return s_.substr(0, std::min(limit, s_.size())).find(needle) != string_view::npos;
    }

private:
    string_view s_;
};

enum class Strength : std::uint8_t { kNone, kStrong, kContainer };

struct HeadResult {
    Strength strength = Strength::kNone;
    Type type = Type::kUnknown;   // the decision, or the container's default
    std::uint16_t container = 0;  // for kContainer
};

constexpr HeadResult Strong(Type t) { return {Strength::kStrong, t, 0}; }
constexpr HeadResult Container(std::uint16_t c, Type default_type) { return {Strength::kContainer, default_type, c}; }

// ISO-BMFF brands (ftyp major and compatible brands), after libmagic's
// "animation" and "images" magic and the `file-type` package.
enum class Brand : std::uint8_t { kGeneric, kVideo, kAudio, kImage };

Brand ClassifyBrand(string_view b) {
    static constexpr string_view kAudioBrands[] = {"F4A ", "F4B ", "M4A ", "M4B ", "M4P "};
    static constexpr string_view kImageBrands[] = {"avif", "avio", "avis", "crx ", "heic", "heim", "heis", "heix",
                                                   "hevc", "hevm", "hevs", "hevx", "mif1", "mif2", "msf1"};
    static constexpr string_view kGenericBrands[] = {"dash", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7",
                                                     "iso8", "iso9", "isom", "mp41", "mp42", "mp71"};
    static_assert(SortedUnique(kAudioBrands) && SortedUnique(kImageBrands) && SortedUnique(kGenericBrands),
                  "brand tables must be sorted");
    if (Contains(kAudioBrands, b)) return Brand::kAudio;
    if (Contains(kImageBrands, b)) return Brand::kImage;
    if (Contains(kGenericBrands, b)) return Brand::kGeneric;
    return Brand::kVideo;  // qt, M4V, avc1, 3gp*, f4v, mmp4 and anything unknown
}

HeadResult SniffIsoBmff(const Bytes& h) {
    if (h.size() < 12) return Container(kIsoBmff, Type::kVideo);
    switch (ClassifyBrand(h.view().substr(8, 4))) {
        case Brand::kAudio:
            return Strong(Type::kAudio);
        case Brand::kImage:
            return Strong(Type::kImage);
        case Brand::kVideo:
            return Container(kIsoBmff, Type::kVideo);
        case Brand::kGeneric:
            break;
    }
    // A generic major brand (isom, mp42): the compatible brands may tell.
    std::size_t end = h.size();
    const std::uint32_t box = h.Be32(0);
    if (box >= 16 && box < end) end = box;
    end = std::min<std::size_t>(end, 16 + 4 * 64);
    bool audio = false;
    for (std::size_t i = 16; i + 4 <= end; i += 4) {
        const Brand b = ClassifyBrand(h.view().substr(i, 4));
        if (b == Brand::kImage) return Strong(Type::kImage);
        if (b == Brand::kAudio) audio = true;
    }
    return Container(kIsoBmff, audio ? Type::kAudio : Type::kVideo);
}

// ZIP: OOXML ([Content_Types].xml + word/ xl/ ppt/), ODF and EPUB (a stored
// "mimetype" first entry) and OCF/APK entry names are decisive; anything else
// is a generic zip refined by a compatible extension or MIME, else an archive.
HeadResult SniffZip(const Bytes& h) {
    const string_view v = h.view();
    bool content_types = false;
    bool epub_container = false;
    bool apk = false;
    std::optional<Type> ooxml;
    std::size_t pos = 0;
    bool first = true;
    while (pos + 4 <= v.size()) {
        pos = v.find("PK", pos);
        if (pos == string_view::npos || pos + 4 > v.size()) break;
        string_view name;
        if (h[pos + 2] == 3 && h[pos + 3] == 4) {  // local file header
            if (pos + 30 > v.size()) break;
            const std::size_t name_len = h.Le16(pos + 26);
            name = v.substr(pos + 30, name_len);
            if (first && name == "mimetype" && h.Le16(pos + 8) == 0) {
                const std::size_t data = pos + 30 + name_len + h.Le16(pos + 28);
                const string_view m = data < v.size() ? v.substr(data, 80) : string_view{};
                if (m.substr(0, 20) == "application/epub+zip") return Strong(Type::kEbook);
                if (m.substr(0, 23) == "application/x-ibooks+zi") return Strong(Type::kEbook);
                constexpr string_view kOdf = "application/vnd.oasis.opendocument.";
                if (m.substr(0, kOdf.size()) == kOdf) {
                    const string_view kind = m.substr(kOdf.size());
                    if (kind.substr(0, 4) == "text") return Strong(Type::kDocument);
                    if (kind.substr(0, 11) == "spreadsheet") return Strong(Type::kSpreadsheet);
                    if (kind.substr(0, 12) == "presentation") return Strong(Type::kPresentation);
                }
            }
            first = false;
            pos += 30 + name_len;
        } else if (h[pos + 2] == 1 && h[pos + 3] == 2) {  // central directory header
            if (pos + 46 > v.size()) break;
            const std::size_t name_len = h.Le16(pos + 28);
            name = v.substr(pos + 46, name_len);
            pos += 46 + name_len;
        } else {
            pos += 2;
            continue;
        }
        if (name == "[Content_Types].xml") {
            content_types = true;
        } else if (!ooxml && name.substr(0, 5) == "word/") {
            ooxml = Type::kDocument;
        } else if (!ooxml && name.substr(0, 3) == "xl/") {
            ooxml = Type::kSpreadsheet;
        } else if (!ooxml && name.substr(0, 4) == "ppt/") {
            ooxml = Type::kPresentation;
        } else if (name == "META-INF/container.xml") {
            epub_container = true;
        } else if (name == "AndroidManifest.xml" || name == "classes.dex") {
            apk = true;
        }
    }
    if (content_types && ooxml) return Strong(*ooxml);
    if (epub_container) return Strong(Type::kEbook);
    if (apk) return Strong(Type::kUnknown);
    return Container(kZip, Type::kArchive);
}

// OLE2 compound file (.doc, .xls, .ppt, .msi, encrypted OOXML). The directory
// may list embedded objects' streams too (a .doc embedding a chart has a
// "Workbook"), so the stream names only set the default, below a compatible
// extension or MIME. OLE2 with nothing else is a document: legacy Word files
// are by far the most common OLE2 samples on the marketplace.
HeadResult SniffOle(const Bytes& h) {
    struct Stream {
        string_view utf16_name;
        Type type;
    };
    static constexpr Stream kStreams[] = {
        {Sig("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0"), Type::kDocument},
        {Sig("W\0o\0r\0k\0b\0o\0o\0k\0"), Type::kSpreadsheet},
        {Sig("P\0o\0w\0e\0r\0P\0o\0i\0n\0t\0 \0D\0o\0c\0u\0m\0e\0n\0t\0"), Type::kPresentation},
    };
    Type best = Type::kDocument;
    std::size_t best_pos = string_view::npos;
    for (const Stream& s : kStreams) {
        const std::size_t p = h.view().find(s.utf16_name);
        if (p < best_pos) {
            best_pos = p;
            best = s.type;
        }
    }
    return Container(kOle, best);
}

HeadResult SniffOgg(const Bytes& h) {
    const std::size_t window = 8192;
    if (h.Find(Sig("\x80theora"), window) || h.Find("OVP80", window) || h.Find(Sig("\x01video"), window)) {
        return Strong(Type::kVideo);
    }
    return Strong(Type::kAudio);
}

// Strong signatures: libmagic magic(5), WHATWG MIME Sniffing §7 tables,
// `file-type`'s signature list.
HeadResult SniffStrong(const Bytes& h) {
    if (h.size() < 2) return {};
    // Documents
    if (h.At(0, "%PDF-")) return Strong(Type::kPdf);
    if (h.At(0, "{\\rtf")) return Strong(Type::kDocument);
    // Images
    if (h.At(0, Sig("\x89PNG\r\n\x1A\n"))) return Strong(Type::kImage);
    if (h.At(0, Sig("\xFF\xD8\xFF"))) return Strong(Type::kImage);
    if (h.At(0, "GIF87a") || h.At(0, "GIF89a")) return Strong(Type::kImage);
    if (h.At(0, "8BPS")) return Strong(Type::kImage);
    if (h.At(0, Sig("II*\0")) || h.At(0, Sig("MM\0*")) || h.At(0, Sig("II+\0")) || h.At(0, Sig("MM\0+"))) {
        return Strong(Type::kImage);
    }
    if (h.At(0, "BM") && h.size() >= 18 && h.Le32(6) == 0) {
        const std::uint32_t dib = h.Le32(14);
        if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) {
            return Strong(Type::kImage);
        }
    }
    if (h.At(0, Sig("\0\0\0\x0CjP  \r\n\x87\n")) || h.At(0, Sig("\xFF\x4F\xFF\x51")) ||
        h.At(0, Sig("\0\0\0\x0CJXL \r\n\x87\n")) || h.At(0, "gimp xcf") || h.At(0, Sig("\xC5\xD0\xD3\xC6"))) {
        return Strong(Type::kImage);
    }
    if (h.At(0, "%!PS-Adobe-")) {
        const string_view line = h.view().substr(0, std::min<std::size_t>(h.size(), 64));
        if (line.substr(0, line.find('\n')).find(" EPSF-") != string_view::npos) {
            return Strong(Type::kImage);
        }
    }
    // Audio
    if (h.At(0, "fLaC")) return Strong(Type::kAudio);
    if (h.At(0, "ID3") && h.size() >= 4 && h[3] >= 2 && h[3] <= 4) return Strong(Type::kAudio);
    if (h.At(0, Sig("MThd\0\0\0\x06"))) return Strong(Type::kAudio);
    if (h.At(0, "FORM") && h.size() >= 12) {
        if (h.At(8, "AIFF") || h.At(8, "AIFC") || h.At(8, "8SVX")) return Strong(Type::kAudio);
        if (h.At(8, "ILBM") || h.At(8, "PBM ")) return Strong(Type::kImage);
    }
    if (h.At(0, "#!AMR") || h.At(0, "wvpk") || h.At(0, "MAC ") || h.At(0, ".snd") || h.At(0, "caff")) {
        return Strong(Type::kAudio);
    }
    if (h.At(0, "OggS")) return SniffOgg(h);
    if ((h.At(0, "RIFF") || h.At(0, "RIFX") || h.At(0, "RF64")) && h.size() >= 12) {
        if (h.At(8, "WAVE") || h.At(8, "RMID")) return Strong(Type::kAudio);
        if (h.At(8, "AVI ") || h.At(8, "CDXA")) return Strong(Type::kVideo);
        if (h.At(8, "WEBP") || h.At(8, "ACON")) return Strong(Type::kImage);
        // Any other RIFF form says nothing usable: fall through.
    }
    // Video
    if (h.At(0, Sig("FLV\x01"))) return Strong(Type::kVideo);
    if (h.At(0, Sig("\0\0\x01\xBA")) || h.At(0, Sig("\0\0\x01\xB3"))) return Strong(Type::kVideo);
    if (h.At(0, ".RMF")) return Strong(Type::kVideo);
    if (h.At(0, Sig("\x1A\x45\xDF\xA3"))) return Container(kMatroska, Type::kVideo);
    if (h.At(0, Sig("\x30\x26\xB2\x75\x8E\x66\xCF\x11"))) return Container(kAsf, Type::kVideo);
    if (h.At(4, "ftyp")) return SniffIsoBmff(h);
    if ((h.At(4, "moov") || h.At(4, "mdat") || h.At(4, "wide") || h.At(4, "pnot") || h.At(4, "free") ||
         h.At(4, "skip")) &&
        h.Be32(0) >= 8) {
        return Container(kIsoBmff, Type::kVideo);  // QuickTime without ftyp
    }
    // Archives
    if (h.At(0, Sig("PK\x03\x04"))) return SniffZip(h);
    if (h.At(0, Sig("PK\x05\x06")) || h.At(0, Sig("PK\x07\x08"))) return Container(kZip, Type::kArchive);
    if (h.At(0, Sig("Rar!\x1A\x07\x00")) || h.At(0, Sig("Rar!\x1A\x07\x01\x00"))) {
        return Container(kRar, Type::kArchive);
    }
    if (h.At(0, Sig("7z\xBC\xAF\x27\x1C"))) return Container(k7z, Type::kArchive);
    if (h.At(0, Sig("\x1F\x8B\x08"))) return Container(kGzip, Type::kArchive);
    if ((h.At(0, "BZh") && h.size() >= 4 && h[3] >= '1' && h[3] <= '9') ||
        h.At(0, Sig("\xFD"
                    "7zXZ\0")) ||
        h.At(0, Sig("\x28\xB5\x2F\xFD")) || h.At(0, Sig("\x04\x22\x4D\x18")) || h.At(0, "LZIP") ||
        h.At(0, Sig("MSCF\0\0\0\0")) || h.At(0, Sig("\x1F\x9D"))) {
        return Strong(Type::kArchive);
    }
    if (h.At(0, "!<arch>\n")) {
        return Strong(h.At(8, "debian-binary") ? Type::kUnknown : Type::kArchive);
    }
    // Ebooks
    if (h.At(0, "AT&TFORM") && (h.At(12, "DJVU") || h.At(12, "DJVM"))) return Strong(Type::kEbook);
    // Executables, installers, databases, disk images: nothing a buyer opens.
    if (h.At(0, "MZ") && std::memchr(h.view().data() + 2, 0, std::min<std::size_t>(h.size(), 64) - 2) != nullptr) {
        return Strong(Type::kUnknown);
    }
    if (h.At(0, Sig("\x7F"
                    "ELF")) ||
        h.At(0, Sig("\xFE\xED\xFA\xCE")) || h.At(0, Sig("\xFE\xED\xFA\xCF")) || h.At(0, Sig("\xCE\xFA\xED\xFE")) ||
        h.At(0, Sig("\xCF\xFA\xED\xFE")) || h.At(0, Sig("\xCA\xFE\xBA\xBE")) || h.At(0, Sig("\0asm")) ||
        h.At(0, Sig("dex\n")) || h.At(0, Sig("\xED\xAB\xEE\xDB")) || h.At(0, "xar!") ||
        h.At(0, Sig("SQLite format 3\0")) || h.At(0, "conectix") || h.At(0, "KDMV") || h.At(0, Sig("QFI\xFB")) ||
        h.At(0, "encrcdsa")) {
        return Strong(Type::kUnknown);
    }
    if (h.At(0, Sig("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))) return SniffOle(h);
    // Signatures at an offset
    if (h.At(60, "BOOKMOBI") || h.At(60, "TEXtREAd")) return Strong(Type::kEbook);
    if (h.At(257, "ustar")) return Container(kTar, Type::kArchive);
    if (h.At(512, "EFI PART") || h.At(1024, Sig("H+\0\x04")) || h.At(1024, Sig("HX\0\x05")) || h.At(32769, "CD001") ||
        h.At(34817, "CD001") || h.At(36865, "CD001")) {
        return Strong(Type::kUnknown);
    }
    // PDF readers accept up to 1024 bytes of junk before the header.
    if (h.Find("%PDF-", 1024 + 5)) return Strong(Type::kPdf);
    return {};
}

// Is a generic container compatible with what a MIME type/extension says?
bool Compatible(std::uint16_t container, Type type, std::uint16_t containers) {
    switch (container) {
        case kIsoBmff:
            return type == Type::kVideo || type == Type::kAudio || type == Type::kImage;
        case kMatroska:
        case kAsf:
            return type == Type::kVideo || type == Type::kAudio;
        default:
            return (containers & container) != 0;
    }
}

// Text: WHATWG "binary data byte" test plus UTF-8 validity (a sequence cut at
// the end of the window is fine).
struct TextScan {
    bool text = false;
    bool blank = true;  // only whitespace
};

TextScan ScanText(string_view s) {
    TextScan r;
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char b = Byte(s[i]);
        if (b < 0x80) {
            if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F)) {
                return r;
            }
            if (!IsSpace(static_cast<char>(b))) r.blank = false;
            ++i;
            continue;
        }
        std::size_t len;
        unsigned char lo = 0x80;
        unsigned char hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            if (b == 0xE0) lo = 0xA0;
            if (b == 0xED) hi = 0x9F;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            if (b == 0xF0) lo = 0x90;
            if (b == 0xF4) hi = 0x8F;
        } else {
            return r;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if (i + k >= n) {  // cut by the window
                r.text = true;
                r.blank = false;
                return r;
            }
            const unsigned char c = Byte(s[i + k]);
            if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return r;
        }
        r.blank = false;
        i += len;
    }
    r.text = true;
    return r;
}

// The first element name of a markup document ("svg", "html", "FictionBook"),
// skipping the XML declaration, processing instructions, comments and the
// doctype; "html" for <!DOCTYPE html>.
string_view RootElement(string_view s) {
    std::size_t i = 0;
    for (int guard = 0; guard < 64; ++guard) {
        i = s.find('<', i);
        if (i == string_view::npos || i + 1 >= s.size()) return {};
        const char next = s[i + 1];
        if (next == '?') {
            const std::size_t end = s.find("?>", i + 2);
            if (end == string_view::npos) return {};
            i = end + 2;
        } else if (next == '!') {
            if (s.substr(i, 4) == "<!--") {
                const std::size_t end = s.find("-->", i + 4);
                if (end == string_view::npos) return {};
                i = end + 3;
            } else {
                if (IStartsWith(s.substr(i), "<!doctype html")) return "html";
                const std::size_t end = s.find('>', i + 2);
                if (end == string_view::npos) return {};
                i = end + 1;
            }
        } else if (IsAlpha(next)) {
            std::size_t j = i + 1;
            std::size_t start = j;
            while (j < s.size() && (IsAlnum(s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.' || s[j] == ':')) {
                if (s[j] == ':') start = j + 1;  // drop a namespace prefix
                ++j;
            }
            return s.substr(start, j - start);
        } else {
            return {};
        }
    }
    return {};
}

// Weak sniffing: text, HTML (a web page: link), XML (text unless it is SVG,
// FB2 or a DASH manifest), playlists, and weak binary signatures.
std::optional<Type> SniffWeak(const Bytes& h) {
    if (h.empty()) return std::nullopt;
    if (h.At(0, Sig("\xFE\xFF")) || h.At(0, Sig("\xFF\xFE"))) return Type::kText;  // UTF-16 BOM
    const bool bom = h.At(0, Sig("\xEF\xBB\xBF"));
    const string_view window = h.view().substr(bom ? 3 : 0, kTextWindow);
    const TextScan scan = ScanText(window);
    if (scan.text) {
        if (scan.blank) return bom ? std::optional<Type>(Type::kText) : std::nullopt;
        std::size_t i = 0;
        while (i < window.size() && IsSpace(window[i])) ++i;
        const string_view s = window.substr(i);
        if (s.substr(0, 7) == "#EXTM3U") {
            return s.find("#EXT-X-") != string_view::npos ? Type::kVideo : Type::kAudio;
        }
        if (!s.empty() && s[0] == '<') {
            const string_view root = RootElement(s);
            if (IEquals(root, "svg")) return Type::kImage;
            if (IEquals(root, "fictionbook")) return Type::kEbook;
            if (IEquals(root, "mpd")) return Type::kVideo;
            // WHATWG "identifying a resource with an unknown MIME type": the
            // HTML patterns (plus a few common first tags).
            static constexpr string_view kHtmlTags[] = {
                "a",      "b",    "body", "br", "div",    "font",  "h1",    "head",  "html",
                "iframe", "link", "meta", "p",  "script", "style", "table", "title",
            };
            char buf[16];
            const string_view lower = LowerInto(root, buf, sizeof buf);
            if (!lower.empty() && std::find(std::begin(kHtmlTags), std::end(kHtmlTags), lower) != std::end(kHtmlTags)) {
                return Type::kLink;
            }
            if (IStartsWith(s, "<!--") && root.empty()) return Type::kLink;
        }
        return Type::kText;
    }
    // Weak binary signatures, checked only on non-text heads.
    if (h.size() >= 3 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0) {
        // ADTS AAC: 12-bit sync, layer 00, a valid sampling frequency index.
        if ((h[1] & 0xF6) == 0xF0 && ((h[2] >> 2) & 0x0F) < 13) return Type::kAudio;
        // MPEG-1/2/2.5 audio layer II/III frame header (0xFFFB, 0xFFF3, 0xFFF2...):
        // weaker than a tag, so it only speaks below the extension.
        const unsigned version = (h[1] >> 3) & 3;
        const unsigned layer = (h[1] >> 1) & 3;
        const unsigned bitrate = h[2] >> 4;
        const unsigned rate = (h[2] >> 2) & 3;
        if (version != 1 && (layer == 1 || layer == 2) && bitrate != 15 && rate != 3) {
            return Type::kAudio;
        }
    }
    if ((h.At(0, Sig("\0\0\x01\0")) || h.At(0, Sig("\0\0\x02\0"))) && h.size() >= 6) {
        const std::uint32_t count = h.Le16(4);
        if (count >= 1 && count <= 64 && (h.size() < 10 || h[9] == 0)) return Type::kImage;  // ICO/CUR
    }
    if (h.size() > 188 && h[0] == 0x47 && h[188] == 0x47 && (h.size() <= 376 || h[376] == 0x47)) {
        return Type::kVideo;  // MPEG transport stream
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Source: URL, data: URL or file name
// ---------------------------------------------------------------------------

enum class SourceKind : std::uint8_t { kNone, kData, kWeb, kOther, kFile };

struct Source {
    SourceKind kind = SourceKind::kNone;
    string_view host;   // kWeb / kOther, raw
    string_view path;   // without query and fragment; for kFile the whole name
    string_view query;  // kWeb
    bool valid_host = false;
    string_view data_mime;
    string_view data_payload;
    bool data_base64 = false;
    bool data_valid = false;
};

// A plausible host name: DNS labels, at least two, alphabetic TLD, or IPv4.
bool LooksLikeHost(string_view h) {
    if (h.size() < 3 || h.size() > kMaxHost) return false;
    std::size_t labels = 0;
    bool all_numeric = true;
    string_view last;
    std::size_t start = 0;
    while (start <= h.size()) {
        std::size_t dot = h.find('.', start);
        if (dot == string_view::npos) dot = h.size();
        const string_view label = h.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char c : label) {
            if (!IsAlnum(c) && c != '-') return false;
            if (!IsDigit(c)) all_numeric = false;
        }
        ++labels;
        last = label;
        start = dot + 1;
    }
    if (labels < 2) return false;
    if (all_numeric) return labels == 4;
    if (last.size() < 2) return false;
    if (IStartsWith(last, "xn--")) return true;
    return std::all_of(last.begin(), last.end(), IsAlpha);
}

bool ValidHost(string_view h) {
    if (h.empty() || h.size() > kMaxHost) return false;
    if (h.front() == '[') return h.size() > 2 && h.back() == ']';
    bool alnum = false;
    for (char c : h) {
        if (IsAlnum(c)) {
            alnum = true;
        } else if (c != '.' && c != '-' && c != '_' && Byte(c) < 0x80) {
            return false;
        }
    }
    return alnum;
}

Source ParseAuthority(string_view rest, SourceKind kind) {
    Source r;
    r.kind = kind;
    const std::size_t end = FindIf(rest, IsAuthorityEnd);
    string_view authority = rest.substr(0, end);
    const string_view tail = end == string_view::npos ? string_view{} : rest.substr(end);
    const std::size_t at = authority.rfind('@');
    if (at != string_view::npos) authority.remove_prefix(at + 1);
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        r.host = close == string_view::npos ? authority : authority.substr(0, close + 1);
    } else {
        r.host = authority.substr(0, authority.find(':'));
    }
    r.valid_host = ValidHost(r.host);
    const std::size_t q = FindIf(tail, IsQueryStart);
    r.path = tail.substr(0, q);
    if (q != string_view::npos && tail[q] == '?') {
        r.query = tail.substr(q + 1);
        r.query = r.query.substr(0, r.query.find('#'));
    }
    return r;
}

Source ParseData(string_view s) {
    Source r;
    r.kind = SourceKind::kData;
    const std::size_t comma = s.find(',');
    if (comma == string_view::npos) return r;  // malformed
    r.data_valid = true;
    const string_view meta = s.substr(5, comma - 5);
    r.data_payload = s.substr(comma + 1);
    const std::size_t semi = meta.find(';');
    r.data_mime = Trim(meta.substr(0, semi));
    string_view params = semi == string_view::npos ? string_view{} : meta.substr(semi + 1);
    while (!params.empty()) {
        const std::size_t p = params.find(';');
        if (IEquals(Trim(params.substr(0, p)), "base64")) r.data_base64 = true;
        if (p == string_view::npos) break;
        params.remove_prefix(p + 1);
    }
    return r;
}

const ExtEntry* ExtFromName(string_view name);

bool KnownHost(string_view host);

Source ParseSource(string_view s) {
    if (s.empty()) return {};
    if (IStartsWith(s, "data:")) return ParseData(s);
    // scheme ":" (at least two characters, so "C:\docs" stays a file name)
    std::size_t i = 0;
    if (IsAlpha(s[0])) {
        i = 1;
        while (i < s.size() && (IsAlnum(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) ++i;
    }
    if (i >= 2 && i < s.size() && s[i] == ':' && !(i + 1 < s.size() && IsDigit(s[i + 1]))) {
        const string_view scheme = s.substr(0, i);
        string_view rest = s.substr(i + 1);
        if (IEquals(scheme, "http") || IEquals(scheme, "https")) {
            while (!rest.empty() && (rest.front() == '/' || rest.front() == '\\')) rest.remove_prefix(1);
            return ParseAuthority(rest, SourceKind::kWeb);
        }
        if (rest.substr(0, 2) == "//") return ParseAuthority(rest.substr(2), SourceKind::kOther);
        Source r;  // mailto:, urn: ...: no authority
        r.kind = SourceKind::kOther;
        r.path = rest.substr(0, FindIf(rest, IsQueryStart));
        return r;
    }
    if (s.substr(0, 2) == "//") return ParseAuthority(s.substr(2), SourceKind::kWeb);
    if (IStartsWith(s, "www.")) return ParseAuthority(s, SourceKind::kWeb);
    // Without a scheme: "youtube.com/watch?v=x" is a URL, "Guide.pdf" a file.
    const std::size_t end = FindIf(s, IsAuthorityEnd);
    string_view first = s.substr(0, end);
    const std::size_t colon = first.find(':');
    if (colon != string_view::npos) {
        const string_view port = first.substr(colon + 1);
        if (port.empty() || !std::all_of(port.begin(), port.end(), IsDigit)) {
            Source r;
            r.kind = SourceKind::kFile;
            r.path = s;
            return r;
        }
        first = first.substr(0, colon);
    }
    if (LooksLikeHost(first)) {
        if (end != string_view::npos) return ParseAuthority(s, SourceKind::kWeb);
        // A bare name: a known host, else a file when its "TLD" is a known
        // extension (notes.md, clip.mov), else a web address for common TLDs.
        if (KnownHost(first)) return ParseAuthority(s, SourceKind::kWeb);
        if (ExtFromName(first) == nullptr) {
            char buf[16];
            const string_view tld = LowerInto(first.substr(first.rfind('.') + 1), buf, sizeof buf);
            if (!tld.empty() && Contains(kBareTlds, tld)) return ParseAuthority(s, SourceKind::kWeb);
        }
    }
    Source r;
    r.kind = SourceKind::kFile;
    r.path = s;
    return r;
}

// The last non-empty path segment ('/' and '\' both separate).
string_view LastSegment(string_view path) {
    while (!path.empty() && (path.back() == '/' || path.back() == '\\')) path.remove_suffix(1);
    const std::size_t slash = FindLastIf(path, IsSlash);
    return slash == string_view::npos ? path : path.substr(slash + 1);
}

// Percent-decodes the tail of a segment (enough for its extension).
string_view DecodeTail(string_view seg, char* buf, std::size_t cap) {
    std::size_t i = seg.size() > cap ? seg.size() - cap : 0;
    // Do not start inside a %XX escape.
    if (i >= 1 && seg[i - 1] == '%') {
        i += 2;
    } else if (i >= 2 && seg[i - 2] == '%') {
        i += 1;
    }
    std::size_t n = 0;
    while (i < seg.size() && n < cap) {
        if (seg[i] == '%' && i + 2 < seg.size() && HexValue(seg[i + 1]) >= 0 && HexValue(seg[i + 2]) >= 0) {
            buf[n++] = static_cast<char>(HexValue(seg[i + 1]) * 16 + HexValue(seg[i + 2]));
            i += 3;
        } else {
            buf[n++] = seg[i++];
        }
    }
    return string_view(buf, n);
}

const ExtEntry* ExtFromName(string_view name) {
    while (!name.empty() && (IsSpace(name.back()) || name.back() == '\0')) name.remove_suffix(1);
    const std::size_t dot = name.rfind('.');
    if (dot == string_view::npos) return nullptr;
    const string_view ext = name.substr(dot + 1);
    if (ext.empty() || ext.size() > kMaxExt) return nullptr;
    char buf[kMaxExt];
    for (std::size_t i = 0; i < ext.size(); ++i) {
        if (!IsAlnum(ext[i])) return nullptr;
        buf[i] = ToLower(ext[i]);
    }
    return Lookup(kExtensions, string_view(buf, ext.size()));
}

const ExtEntry* ExtFromSource(const Source& src) {
    string_view seg;
    switch (src.kind) {
        case SourceKind::kWeb:
            seg = LastSegment(src.path);
            seg = seg.substr(0, seg.find(';'));  // ;jsessionid=...
            break;
        case SourceKind::kOther:
        case SourceKind::kFile:
            seg = LastSegment(src.path);
            break;
        default:
            return nullptr;
    }
    if (seg.empty()) return nullptr;
    char buf[kSegmentTail];
    const ExtEntry* e = ExtFromName(DecodeTail(seg, buf, sizeof buf));
    if (e == nullptr && src.kind == SourceKind::kFile) {
        // A relative URL without scheme ("files/a.pdf?dl=1").
        const std::size_t q = FindIf(seg, IsQueryStart);
        if (q != string_view::npos) e = ExtFromName(DecodeTail(seg.substr(0, q), buf, sizeof buf));
    }
    return e;
}

// ---------------------------------------------------------------------------
// Hosts
// ---------------------------------------------------------------------------

// The top-level domains of kHosts: most URLs are rejected by this one lookup.
constexpr string_view kHostTlds[] = {"be", "com", "fi", "link", "ly", "net", "sc", "site", "so", "st", "tl"};
static_assert(SortedUnique(kHostTlds), "kHostTlds must be sorted");

constexpr bool EveryHostTldListed() {
    for (const HostEntry& e : kHosts) {
        const string_view tld = e.name.substr(e.name.rfind('.') + 1);
        bool found = false;
        for (string_view t : kHostTlds) found = found || t == tld;
        if (!found) return false;
    }
    return true;
}
static_assert(EveryHostTldListed(), "add the TLD of every kHosts entry to kHostTlds");

// The longest listed suffix of host (at a label boundary), or nullptr.
const HostEntry* FindHost(string_view host) {
    char buf[kMaxHost];
    string_view h = LowerInto(host, buf, sizeof buf);
    while (!h.empty() && h.back() == '.') h.remove_suffix(1);
    const std::size_t last_dot = h.rfind('.');
    if (last_dot == string_view::npos || !Contains(kHostTlds, h.substr(last_dot + 1))) return nullptr;
    while (!h.empty()) {
        if (const HostEntry* e = Lookup(kHosts, h)) return e;
        const std::size_t dot = h.find('.');
        if (dot == string_view::npos) break;
        h.remove_prefix(dot + 1);
    }
    return nullptr;
}

bool KnownHost(string_view host) { return FindHost(host) != nullptr; }

// Google Docs export links: ?format=pdf, ?exportFormat=docx, ?output=csv.
std::optional<Type> ExportFormat(string_view query) {
    query = query.substr(0, 1024);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const string_view param = query.substr(0, amp);
        const std::size_t eq = param.find('=');
        if (eq != string_view::npos) {
            const string_view key = param.substr(0, eq);
            if (IEquals(key, "format") || IEquals(key, "exportformat") || IEquals(key, "output")) {
                const string_view value = param.substr(eq + 1);
                char buf[kMaxExt + 1];
                buf[0] = '.';
                if (value.size() <= kMaxExt) {
                    std::memcpy(buf + 1, value.data(), value.size());
                    if (const ExtEntry* e = ExtFromName(string_view(buf, value.size() + 1))) {
                        return e->type;
                    }
                }
            }
        }
        if (amp == string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

string_view FirstSegment(string_view path) {
    while (!path.empty() && (path.front() == '/' || path.front() == '\\')) path.remove_prefix(1);
    return path.substr(0, FindIf(path, IsSlash));
}

std::optional<Type> HostType(const Source& src) {
    const HostEntry* e = FindHost(src.host);
    if (e == nullptr) return std::nullopt;
    string_view path = src.path;
    switch (e->rule) {
        case HostRule::kType:
            return e->type;
        case HostRule::kGoogleDocs: {
            if (IStartsWith(path, "/a/")) {  // Google Workspace: /a/<domain>/document/...
                path.remove_prefix(3);
                const std::size_t slash = path.find('/');
                path = slash == string_view::npos ? string_view{} : path.substr(slash);
            }
            const string_view app = FirstSegment(path);
            std::optional<Type> t;
            if (IEquals(app, "document")) {
                t = Type::kDocument;
            } else if (IEquals(app, "spreadsheets")) {
                t = Type::kSpreadsheet;
            } else if (IEquals(app, "presentation")) {
                t = Type::kPresentation;
            } else if (IEquals(app, "drawings")) {
                t = Type::kImage;
            } else if (IEquals(app, "forms")) {
                t = Type::kLink;
            }
            if (t && *t != Type::kLink) {
                if (const std::optional<Type> f = ExportFormat(src.query)) return f;
            }
            return t;
        }
        case HostRule::kDrive:
            // drive.google.com/drive/folders/..., /drive/u/0/folders/..., /folderview
            if (IFind(path.substr(0, 64), "/folders") != string_view::npos || IStartsWith(path, "/folderview")) {
                return Type::kLink;
            }
            return std::nullopt;  // a file: its type comes from the other levels
        case HostRule::kDropbox:
            if (IStartsWith(path, "/sh/") || IStartsWith(path, "/scl/fo/") || IStartsWith(path, "/request/") ||
                IEquals(path, "/home") || IStartsWith(path, "/home/")) {
                return Type::kLink;
            }
            return std::nullopt;
        case HostRule::kCanva:
            if (IEquals(FirstSegment(path), "design")) return Type::kPresentation;
            return std::nullopt;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Hint: MIME type or format word
// ---------------------------------------------------------------------------

struct Mime {
    Type type;
    std::uint16_t containers;
    MimeKind kind;
};

constexpr bool IsTokenChar(char c) {
    return IsAlnum(c) || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
           c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~';
}

enum class MimeParse : std::uint8_t { kNotMime, kKnown, kUnknownMime };

// RFC 9110 media type: type "/" subtype [; parameters]. Case-insensitive.
MimeParse ParseMime(string_view s, Mime* out) {
    string_view essence = Trim(s.substr(0, s.find(';')));
    const std::size_t slash = essence.find('/');
    if (slash == string_view::npos || slash == 0 || slash + 1 == essence.size()) {
        return MimeParse::kNotMime;
    }
    for (std::size_t i = 0; i < essence.size(); ++i) {
        if (i != slash && !IsTokenChar(essence[i])) return MimeParse::kNotMime;
    }
    char buf[128];
    const string_view lower = LowerInto(essence, buf, sizeof buf);
    const string_view top = essence.substr(0, slash);
    if (!lower.empty()) {
        if (const MimeEntry* e = Lookup(kMimeTypes, lower)) {
            *out = {e->type, e->containers, e->kind};
            return MimeParse::kKnown;
        }
    }
    // An unlisted subtype still tells its family.
    if (IEquals(top, "video")) {
        *out = {Type::kVideo, 0, MimeKind::kSpecific};
        return MimeParse::kKnown;
    }
    if (IEquals(top, "audio")) {
        *out = {Type::kAudio, 0, MimeKind::kSpecific};
        return MimeParse::kKnown;
    }
    if (IEquals(top, "image")) {
        *out = {Type::kImage, 0, MimeKind::kSpecific};
        return MimeParse::kKnown;
    }
    if (IEquals(top, "text")) {
        *out = {Type::kText, 0, MimeKind::kSpecific};
        return MimeParse::kKnown;
    }
    // "application/x-foo" is an unknown MIME (ignored); "PDF/A" is not a MIME.
    static constexpr string_view kTopLevel[] = {"application", "example", "font",      "haptics",
                                                "message",     "model",   "multipart", "x-world"};
    static_assert(SortedUnique(kTopLevel), "kTopLevel must be sorted");
    char top_buf[16];
    const string_view top_lower = LowerInto(top, top_buf, sizeof top_buf);
    if (!top_lower.empty() && Contains(kTopLevel, top_lower)) return MimeParse::kUnknownMime;
    return MimeParse::kNotMime;
}

// Folds a UTF-8 hint to lowercase ASCII words joined by single spaces
// ("Vidéo  MP4" -> "video mp4", "Livre numérique" -> "livre numerique").
std::size_t NormaliseWords(string_view s, char* out, std::size_t cap) {
    // Latin-1 supplement U+00C0..U+00FF folded to ASCII; "" is a separator.
    static constexpr const char* kLatin1[64] = {
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
        "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
        "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y",
    };
    std::size_t n = 0;
    bool pending_space = false;
    auto put = [&](const char* text) {
        for (; *text != '\0'; ++text) {
            if (pending_space && n > 0 && n < cap) out[n++] = ' ';
            pending_space = false;
            if (n < cap) out[n++] = *text;
        }
    };
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned char b = Byte(s[i]);
        if (b < 0x80) {
            if (IsAlnum(static_cast<char>(b))) {
                const char c[2] = {ToLower(static_cast<char>(b)), '\0'};
                put(c);
            } else {
                pending_space = true;
            }
            ++i;
            continue;
        }
        std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (i + len > s.size()) len = s.size() - i;
        if (len == 2 && b == 0xC3 && Byte(s[i + 1]) >= 0x80 && Byte(s[i + 1]) <= 0xBF) {
            const char* folded = kLatin1[Byte(s[i + 1]) - 0x80];
            if (*folded == '\0') {
                pending_space = true;
            } else {
                put(folded);
            }
        } else if (len == 2 && b == 0xC5 && (Byte(s[i + 1]) == 0x92 || Byte(s[i + 1]) == 0x93)) {
            put("oe");  // Œ œ
        } else if (len == 2 && (b == 0xCC || (b == 0xCD && Byte(s[i + 1]) <= 0xAF))) {
            // combining diacritical mark (decomposed accents): dropped
        } else {
            pending_space = true;
        }
        i += len;
    }
    return std::min(n, cap);
}

std::optional<Type> FormatWord(string_view hint) {
    char buf[kWordBuffer];
    const std::size_t n = NormaliseWords(hint, buf, sizeof buf);
    if (n == 0) return std::nullopt;
    const string_view all(buf, n);
    if (const WordEntry* w = Lookup(kFormatWords, all)) return w->type;
    if (all.find(' ') == string_view::npos) {
        // A single word that is an extension ("docx", "m4b").
        char ext[kMaxExt + 1];
        if (all.size() <= kMaxExt) {
            ext[0] = '.';
            std::memcpy(ext + 1, all.data(), all.size());
            if (const ExtEntry* e = ExtFromName(string_view(ext, all.size() + 1))) return e->type;
        }
        return std::nullopt;
    }
    // Several words: a precise format name (tier 1) anywhere wins over a kind
    // of content (tier 2); phrases of up to three words, longest first.
    std::size_t starts[kMaxTokens];
    std::size_t ends[kMaxTokens];
    std::size_t count = 0;
    for (std::size_t i = 0; i < n && count < kMaxTokens;) {
        const std::size_t space = all.find(' ', i);
        const std::size_t end = space == string_view::npos ? n : space;
        starts[count] = i;
        ends[count] = end;
        ++count;
        i = end + 1;
    }
    std::optional<Type> kind;
    for (std::size_t t = 0; t < count; ++t) {
        for (std::size_t len = std::min<std::size_t>(3, count - t); len >= 1; --len) {
            const string_view phrase = all.substr(starts[t], ends[t + len - 1] - starts[t]);
            if (const WordEntry* w = Lookup(kFormatWords, phrase)) {
                if (w->tier == 1) return w->type;
                if (!kind) kind = w->type;
                break;
            }
        }
    }
    return kind;
}

// ---------------------------------------------------------------------------
// data: URL payload
// ---------------------------------------------------------------------------

int Base64Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

// Decodes the first bytes of a data: URL's payload (base64 or percent-encoded).
string_view DecodeDataPayload(const Source& src, char* buf, std::size_t cap) {
    const string_view p = src.data_payload;
    std::size_t n = 0;
    if (src.data_base64) {
        std::uint32_t acc = 0;
        int bits = 0;
        for (std::size_t i = 0; i < p.size() && n < cap; ++i) {
            const char c = p[i];
            if (IsSpace(c)) continue;
            if (c == '%' && i + 2 < p.size() && p[i + 1] == '2' && (p[i + 2] == 'B' || p[i + 2] == 'b')) {
                acc = (acc << 6) | 62;  // %2B: an escaped '+'
                i += 2;
            } else {
                const int v = Base64Value(c);
                if (v < 0) break;  // '=' padding or garbage: stop
                acc = (acc << 6) | static_cast<std::uint32_t>(v);
            }
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                buf[n++] = static_cast<char>((acc >> bits) & 0xFF);
            }
        }
    } else {
        for (std::size_t i = 0; i < p.size() && n < cap;) {
            if (p[i] == '%' && i + 2 < p.size() && HexValue(p[i + 1]) >= 0 && HexValue(p[i + 2]) >= 0) {
                buf[n++] = static_cast<char>(HexValue(p[i + 1]) * 16 + HexValue(p[i + 2]));
                i += 3;
            } else {
                buf[n++] = p[i++];
            }
        }
    }
    return string_view(buf, n);
}

string_view Bound(std::optional<string_view> s, std::size_t limit) {
    if (!s) return {};
    return s->substr(0, limit);
}

}  // namespace

std::string_view SampleTypeName(SampleType type) noexcept {
    switch (type) {
        case SampleType::kPdf:
            return "pdf";
        case SampleType::kVideo:
            return "video";
        case SampleType::kAudio:
            return "audio";
        case SampleType::kImage:
            return "image";
        case SampleType::kDocument:
            return "document";
        case SampleType::kSpreadsheet:
            return "spreadsheet";
        case SampleType::kPresentation:
            return "presentation";
        case SampleType::kArchive:
            return "archive";
        case SampleType::kEbook:
            return "ebook";
        case SampleType::kText:
            return "text";
        case SampleType::kLink:
            return "link";
        case SampleType::kUnknown:
            return "unknown";
    }
    return "unknown";
}

SampleType DetectSampleType(std::optional<std::string_view> source, std::optional<std::string_view> hint,
                            std::optional<std::string_view> head) {
    const Source src = ParseSource(Trim(Bound(source, kMaxSource)));
    const string_view hint_text = Trim(Bound(hint, kMaxHint));
    string_view head_bytes = Bound(head, kMaxHead);

    // A data: URL's payload stands in for an absent head.
    char data_buf[kDataSniff];
    if (head_bytes.empty() && src.kind == SourceKind::kData && src.data_valid) {
        head_bytes = DecodeDataPayload(src, data_buf, sizeof data_buf);
    }
    const Bytes h(head_bytes);

    // The MIME type: the data: URL's own, else the hint's.
    std::optional<Mime> mime;
    Mime parsed{};
    if (src.kind == SourceKind::kData && ParseMime(src.data_mime, &parsed) == MimeParse::kKnown &&
        parsed.kind != MimeKind::kIgnored) {
        mime = parsed;
    }
    const MimeParse hint_shape = ParseMime(hint_text, &parsed);
    if (!mime && hint_shape == MimeParse::kKnown && parsed.kind != MimeKind::kIgnored) mime = parsed;

    // 1. Strong magic bytes; generic containers refined by a compatible MIME or extension.
    const HeadResult magic = SniffStrong(h);
    if (magic.strength == Strength::kStrong) return magic.type;
    const ExtEntry* ext = ExtFromSource(src);
    if (magic.strength == Strength::kContainer) {
        if (mime && (mime->kind == MimeKind::kSpecific || mime->kind == MimeKind::kTextGeneric) &&
            Compatible(magic.container, mime->type, mime->containers)) {
            return mime->type;
        }
        if (ext != nullptr && Compatible(magic.container, ext->type, ext->containers)) return ext->type;
        return magic.type;
    }

    // 2. A host that determines the type.
    if (src.kind == SourceKind::kWeb) {
        if (const std::optional<Type> t = HostType(src)) return *t;
    }

    // 3. A specific MIME type (generic ones refined by the extension).
    if (mime) {
        switch (mime->kind) {
            case MimeKind::kSpecific:
                return mime->type;
            case MimeKind::kTextGeneric:
                return (ext != nullptr && (ext->flags & kTextual) != 0) ? ext->type : Type::kText;
            case MimeKind::kGenericZip:
                return (ext != nullptr && (ext->containers & kZip) != 0) ? ext->type : Type::kArchive;
            case MimeKind::kGenericOle:
                return (ext != nullptr && (ext->containers & kOle) != 0) ? ext->type : Type::kDocument;
            case MimeKind::kIgnored:
                break;
        }
    }

    // 4. The path extension.
    if (ext != nullptr) {
        if ((ext->flags & kWeakExt) != 0) {
            if (const std::optional<Type> weak = SniffWeak(h)) return *weak;
        }
        return ext->type;
    }

    // 5. Weak content sniffing.
    if (const std::optional<Type> weak = SniffWeak(h)) return *weak;

    // 6. A loose format word.
    if (hint_shape == MimeParse::kNotMime) {
        if (const std::optional<Type> t = FormatWord(hint_text)) return *t;
    }

    // 7. Any other web address is a web page.
    if (src.kind == SourceKind::kWeb && src.valid_host) return Type::kLink;
    return Type::kUnknown;
}

}  // namespace dskv2::core
