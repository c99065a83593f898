// Unit tests for DetectSampleType (docs/mapping.md, "Sample types").
// Cases are grouped by precedence level, highest first:
//   magic bytes > host > specific MIME > extension > weak sniffing > format word
//   > link for web URLs > unknown.
#include "core/sample_type.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace dskv2::core {
namespace {

using T = SampleType;
using Opt = std::optional<std::string>;

struct Case {
    std::string name;
    Opt source;
    Opt hint;
    Opt head;
    SampleType expected;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name << " {source=" << (c.source ? "\"" + c.source->substr(0, 80) + "\"" : "NULL")
        << ", hint=" << (c.hint ? "\"" + *c.hint + "\"" : "NULL")
        << ", head=" << (c.head ? std::to_string(c.head->size()) + " bytes" : "NULL") << "} -> "
        << SampleTypeName(c.expected);
}

std::optional<std::string_view> View(const Opt& o) {
    if (!o) return std::nullopt;
    return std::string_view(*o);
}

SampleType Detect(const Opt& source, const Opt& hint, const Opt& head) {
    return DetectSampleType(View(source), View(hint), View(head));
}

// ---------------------------------------------------------------------------
// Byte builders
// ---------------------------------------------------------------------------

template <std::size_t N>
std::string Raw(const char (&s)[N]) {
    return std::string(s, N - 1);
}

std::string Bytes(std::initializer_list<int> bytes) {
    std::string s;
    for (int b : bytes) s.push_back(static_cast<char>(b));
    return s;
}

std::string Le16(std::uint32_t v) { return Bytes({int(v & 0xFF), int((v >> 8) & 0xFF)}); }
std::string Le32(std::uint32_t v) { return Le16(v & 0xFFFF) + Le16(v >> 16); }
std::string Be32(std::uint32_t v) {
    return Bytes({int(v >> 24), int((v >> 16) & 0xFF), int((v >> 8) & 0xFF), int(v & 0xFF)});
}

// A ZIP local file header followed by its data (APPNOTE.TXT §4.3.7).
std::string ZipEntry(const std::string& name, const std::string& data, bool stored = true) {
    return Raw("PK\x03\x04") + Le16(20) + Le16(0) + Le16(stored ? 0 : 8) + Le16(0) + Le16(0) + Le32(0) +
           Le32(static_cast<std::uint32_t>(data.size())) + Le32(static_cast<std::uint32_t>(data.size())) +
           Le16(static_cast<std::uint32_t>(name.size())) + Le16(0) + name + data;
}

const std::string kDeflated = Bytes({0x8D, 0x52, 0xCB, 0x6E, 0xC2, 0x30, 0x10, 0xBC, 0xF3, 0x15});

std::string PlainZip() { return ZipEntry("photos/IMG_001.jpg", kDeflated, false); }
std::string Ooxml(const std::string& dir) {
    return ZipEntry("[Content_Types].xml", kDeflated, false) + ZipEntry("_rels/.rels", kDeflated, false) +
           ZipEntry(dir + "/document.xml", kDeflated, false);
}
std::string MimetypeZip(const std::string& mimetype) {
    return ZipEntry("mimetype", mimetype) + ZipEntry("META-INF/manifest.xml", kDeflated, false);
}

// An ISO-BMFF "ftyp" box (ISO/IEC 14496-12 §4.3).
std::string Ftyp(const std::string& major, std::initializer_list<const char*> compatible = {}) {
    std::string body = major + Be32(0);
    for (const char* c : compatible) body += c;
    return Be32(static_cast<std::uint32_t>(8 + body.size())) + "ftyp" + body + Be32(8) + "free";
}

std::string Riff(const std::string& form) { return "RIFF" + Le32(1000) + form + "fmt " + Le32(16); }

std::string Utf16(const std::string& ascii) {
    std::string s;
    for (char c : ascii) {
        s.push_back(c);
        s.push_back('\0');
    }
    return s;
}

// An OLE2 compound file: header sector, then directory entries (MS-CFB §2.6).
std::string Ole(std::initializer_list<const char*> streams = {}) {
    std::string s = Raw("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") + std::string(22, '\0') + Le16(9);
    s.resize(512, '\0');
    for (const char* name : {"Root Entry"}) {
        std::string entry = Utf16(name);
        entry.resize(128, '\0');
        s += entry;
    }
    for (const char* name : streams) {
        std::string entry = Utf16(name);
        entry.resize(128, '\0');
        s += entry;
    }
    return s;
}

std::string Tar() {
    std::string s = "cours/chapitre1.pdf";
    s.resize(257, '\0');
    s +=
        Raw("ustar\x00"
            "00");
    s.resize(1024, '\0');
    return s;
}

std::string Mobi() {
    std::string s = "Mon_Livre_Numerique";
    s.resize(60, '\0');
    s += "BOOKMOBI";
    s.resize(128, '\0');
    return s;
}

std::string Iso9660() {
    std::string s(32768, '\0');
    s +=
        Raw("\x01"
            "CD001\x01");
    s.resize(34816, '\0');
    return s;
}

std::string Pdf() { return "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"; }

// ---------------------------------------------------------------------------
// The parameterised test
// ---------------------------------------------------------------------------

class SampleTypeDetect : public ::testing::TestWithParam<Case> {};

TEST_P(SampleTypeDetect, Detects) {
    const Case& c = GetParam();
    EXPECT_EQ(SampleTypeName(Detect(c.source, c.hint, c.head)), SampleTypeName(c.expected));
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

// --- 1. Strong magic bytes ------------------------------------------------
// Signatures: libmagic magic(5) entries (Magdir/pdf, images, audio, animation,
// archive, msdos, elf, mach, cdrom, sqlite), the WHATWG MIME Sniffing standard
// §7.1 (image, audio/video and archive signature tables) and the `file-type`
// npm package's signature list. Generic containers (zip, OLE2, ISO-BMFF,
// Matroska, ASF, RAR, gzip, tar) are refined by a compatible extension or MIME
// (mime-db says which extensions a container type carries).
std::vector<Case> MagicCases() {
    return {
        {"pdf_header", {}, {}, Pdf(), T::kPdf},
        {"pdf_after_junk", {}, {}, std::string(300, 'x') + "\r\n" + Pdf(), T::kPdf},
        {"pdf_magic_beats_extension", "file.mp4", {}, Pdf(), T::kPdf},
        {"pdf_magic_beats_host", "https://www.youtube.com/watch?v=x", {}, Pdf(), T::kPdf},
        {"pdf_magic_beats_mime", "sample", "video/mp4", Pdf(), T::kPdf},
        {"rtf", {}, {}, "{\\rtf1\\ansi\\deff0 Bonjour}", T::kDocument},
        {"png", {}, {}, Raw("\x89PNG\r\n\x1A\n\0\0\0\rIHDR"), T::kImage},
        {"jpeg", "photo.pdf", {}, Raw("\xFF\xD8\xFF\xE0\0\x10JFIF\0"), T::kImage},
        {"gif87a", {}, {}, "GIF87a\x01\x01", T::kImage},
        {"gif89a", {}, {}, "GIF89a\x01\x01", T::kImage},
        {"webp_riff", {}, {}, Riff("WEBP"), T::kImage},
        {"bmp", {}, {}, "BM" + Le32(5000) + Le32(0) + Le32(54) + Le32(40) + Le32(16), T::kImage},
        {"tiff_little_endian", {}, {}, Raw("II*\0\x08\0\0\0"), T::kImage},
        {"tiff_big_endian", {}, {}, Raw("MM\0*\0\0\0\x08"), T::kImage},
        {"psd_8bps", {}, {}, Raw("8BPS\0\x01\0\0\0\0"), T::kImage},
        {"heic_brand", "photo.mp4", {}, Ftyp("heic", {"mif1", "heic"}), T::kImage},
        {"avif_brand", {}, {}, Ftyp("avif", {"avif", "mif1", "miaf"}), T::kImage},
        {"heif_via_compatible_mif1", {}, {}, Ftyp("mp42", {"mif1", "mp42"}), T::kImage},
        {"jpeg2000", {}, {}, Raw("\0\0\0\x0CjP  \r\n\x87\n"), T::kImage},
        {"flac", {}, {}, Raw("fLaC\0\0\0\x22"), T::kAudio},
        {"mp3_id3_tag", "episode.pdf", {}, Raw("ID3\x04\0\0\0\0\x01\x00"), T::kAudio},
        {"wav_riff", {}, {}, Riff("WAVE"), T::kAudio},
        {"ogg_vorbis", {}, {}, Raw("OggS\0\x02\0\0\0\0\0\0\0\0\x01vorbis\0\0\0\0"), T::kAudio},
        {"ogg_opus", {}, {}, Raw("OggS\0\x02\0\0\0\0\0\0\0\0OpusHead\x01\x02"), T::kAudio},
        {"ogg_theora_is_video", {}, {}, Raw("OggS\0\x02\0\0\0\0\0\0\0\0\x80theora\x03\x02"), T::kVideo},
        {"midi", {}, {}, Raw("MThd\0\0\0\x06\0\x01"), T::kAudio},
        {"aiff", {}, {}, "FORM" + Be32(100) + "AIFFCOMM", T::kAudio},
        {"m4a_brand", {}, {}, Ftyp("M4A ", {"M4A ", "mp42", "isom"}), T::kAudio},
        {"m4b_brand_audiobook", {}, {}, Ftyp("M4B ", {"M4B ", "mp42"}), T::kAudio},
        {"amr", {}, {}, "#!AMR\n", T::kAudio},
        {"mp4_isom", {}, {}, Ftyp("isom", {"isom", "iso2", "avc1", "mp41"}), T::kVideo},
        {"mp4_mp42", {}, {}, Ftyp("mp42", {"mp42", "isom"}), T::kVideo},
        {"mov_qt", {}, {}, Ftyp("qt  ", {"qt  "}), T::kVideo},
        {"m4v_brand", {}, {}, Ftyp("M4V ", {"M4V ", "M4A ", "mp42"}), T::kVideo},
        {"3gp_brand", {}, {}, Ftyp("3gp5", {"3gp5", "isom"}), T::kVideo},
        {"isom_refined_by_m4a_extension", "chapitre1.m4a", {}, Ftyp("isom", {"isom"}), T::kAudio},
        {"isom_refined_by_audio_mime", {}, "audio/mp4", Ftyp("mp42", {"isom"}), T::kAudio},
        {"isom_with_pdf_extension_stays_video", "x.pdf", {}, Ftyp("isom", {"isom"}), T::kVideo},
        {"mp42_with_compatible_m4a", {}, {}, Ftyp("mp42", {"M4A ", "isom"}), T::kAudio},
        {"quicktime_moov_without_ftyp", {}, {}, Be32(108) + "moov" + Be32(100) + "mvhd", T::kVideo},
        {"matroska", {}, {}, Raw("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01matroska"), T::kVideo},
        {"webm_refined_by_weba", "voix.weba", {}, Raw("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01webm"), T::kAudio},
        {"webm_refined_by_audio_webm_mime",
         {},
         "audio/webm",
         Raw("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01webm"),
         T::kAudio},
        {"mka_extension", "album.mka", {}, Raw("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01matroska"), T::kAudio},
        {"avi_riff", {}, {}, Riff("AVI "), T::kVideo},
        {"flv", {}, {}, Raw("FLV\x01\x05\0\0\0\x09"), T::kVideo},
        {"mpeg_program_stream", {}, {}, Raw("\0\0\x01\xBA\x44\0\x04"), T::kVideo},
        {"asf_wmv", {}, {}, Raw("\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9"), T::kVideo},
        {"asf_refined_by_wma", "son.wma", {}, Raw("\x30\x26\xB2\x75\x8E\x66\xCF\x11\xA6\xD9"), T::kAudio},
        {"zip_plain_is_archive", {}, {}, PlainZip(), T::kArchive},
        {"zip_empty_archive", {}, {}, Raw("PK\x05\x06") + std::string(18, '\0'), T::kArchive},
        {"zip_named_epub_is_ebook", "ebook.epub", {}, PlainZip(), T::kEbook},
        {"zip_named_docx", "rapport.docx", {}, PlainZip(), T::kDocument},
        {"zip_named_xlsx", "budget.XLSX", {}, PlainZip(), T::kSpreadsheet},
        {"zip_named_pptx", "https://cdn.example.com/deck.pptx", {}, PlainZip(), T::kPresentation},
        {"zip_named_odt", "lettre.odt", {}, PlainZip(), T::kDocument},
        {"zip_named_ods", "comptes.ods", {}, PlainZip(), T::kSpreadsheet},
        {"zip_named_odp", "cours.odp", {}, PlainZip(), T::kPresentation},
        {"zip_named_cbz", "bd.cbz", {}, PlainZip(), T::kEbook},
        {"zip_named_pages", "lettre.pages", {}, PlainZip(), T::kDocument},
        {"zip_named_numbers", "budget.numbers", {}, PlainZip(), T::kSpreadsheet},
        {"zip_named_key", "keynote.key", {}, PlainZip(), T::kPresentation},
        {"zip_named_apk", "app.apk", {}, PlainZip(), T::kUnknown},
        {"zip_named_pdf_stays_archive", "guide.pdf", {}, PlainZip(), T::kArchive},
        {"zip_refined_by_ooxml_mime",
         {},
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         PlainZip(),
         T::kDocument},
        {"zip_refined_by_epub_mime", {}, "application/epub+zip", PlainZip(), T::kEbook},
        {"zip_generic_mime_then_extension", "cours.pptx", "application/zip", PlainZip(), T::kPresentation},
        // A zip head is refined by a compatible specific MIME first, then by the
        // extension (README, Sample types): the MIME wins when both are compatible.
        {"zip_docx_mime_beats_xlsx_extension", "report.xlsx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", PlainZip(), T::kDocument},
        {"zip_xlsx_mime_beats_docx_extension", "rapport.docx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PlainZip(), T::kSpreadsheet},
        {"zip_pptx_mime_beats_docx_extension", "deck.docx",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation", PlainZip(), T::kPresentation},
        {"zip_odt_mime_beats_xlsx_extension", "lettre.xlsx", "application/vnd.oasis.opendocument.text", PlainZip(),
         T::kDocument},
        {"zip_ods_mime_beats_docx_extension", "comptes.docx", "application/vnd.oasis.opendocument.spreadsheet",
         PlainZip(), T::kSpreadsheet},
        {"zip_epub_mime_beats_zip_extension", "livre.zip", "application/epub+zip", PlainZip(), T::kEbook},
        {"zip_epub_mime_beats_pptx_extension", "livre.pptx", "application/epub+zip", PlainZip(), T::kEbook},
        // A MIME the container cannot carry does not refine it: the extension does.
        {"zip_incompatible_pdf_mime_then_docx_extension", "cours.docx", "application/pdf", PlainZip(), T::kDocument},
        {"zip_incompatible_video_mime_alone_stays_archive", {}, "video/mp4", PlainZip(), T::kArchive},
        {"zip_incompatible_mime_and_extension_stays_archive", "guide.pdf", "audio/mpeg", PlainZip(), T::kArchive},
        {"ooxml_word_without_extension", {}, {}, Ooxml("word"), T::kDocument},
        {"ooxml_xl_without_extension", {}, {}, Ooxml("xl"), T::kSpreadsheet},
        {"ooxml_ppt_without_extension", {}, {}, Ooxml("ppt"), T::kPresentation},
        {"ooxml_word_beats_zip_extension", "download.zip", {}, Ooxml("word"), T::kDocument},
        {"odf_text_mimetype", {}, {}, MimetypeZip("application/vnd.oasis.opendocument.text"), T::kDocument},
        {"odf_spreadsheet_mimetype",
         {},
         {},
         MimetypeZip("application/vnd.oasis.opendocument.spreadsheet"),
         T::kSpreadsheet},
        {"odf_presentation_mimetype",
         {},
         {},
         MimetypeZip("application/vnd.oasis.opendocument.presentation"),
         T::kPresentation},
        {"epub_mimetype", "download", {}, MimetypeZip("application/epub+zip"), T::kEbook},
        {"ole2_named_doc", "ancien.doc", {}, Ole(), T::kDocument},
        {"ole2_named_xls", "ancien.xls", {}, Ole(), T::kSpreadsheet},
        {"ole2_named_ppt", "ancien.ppt", {}, Ole(), T::kPresentation},
        {"ole2_named_msi", "setup.msi", {}, Ole(), T::kUnknown},
        {"ole2_encrypted_xlsx", "protege.xlsx", {}, Ole({"EncryptedPackage"}), T::kSpreadsheet},
        {"ole2_alone_is_document", {}, {}, Ole(), T::kDocument},
        {"ole2_workbook_stream", {}, {}, Ole({"Workbook"}), T::kSpreadsheet},
        {"ole2_powerpoint_stream", {}, {}, Ole({"PowerPoint Document", "Current User"}), T::kPresentation},
        {"ole2_extension_beats_stream_names", "tableau.xls", {}, Ole({"WordDocument", "Workbook"}), T::kSpreadsheet},
        {"ole2_refined_by_excel_mime", {}, "application/vnd.ms-excel", Ole(), T::kSpreadsheet},
        {"rar4", {}, {}, Raw("Rar!\x1A\x07\x00\xCF\x90"), T::kArchive},
        {"rar5", {}, {}, Raw("Rar!\x1A\x07\x01\x00\x33\x92"), T::kArchive},
        {"rar_named_cbr_is_ebook", "manga.cbr", {}, Raw("Rar!\x1A\x07\x00\xCF\x90"), T::kEbook},
        {"seven_zip", {}, {}, Raw("7z\xBC\xAF\x27\x1C\0\x04"), T::kArchive},
        {"gzip", "cours.pdf.gz", {}, Raw("\x1F\x8B\x08\0\0\0\0\0"), T::kArchive},
        {"gzip_named_svgz_is_image", "logo.svgz", {}, Raw("\x1F\x8B\x08\0\0\0\0\0"), T::kImage},
        {"bzip2", {}, {}, "BZh91AY&SY", T::kArchive},
        {"xz",
         {},
         {},
         Raw("\xFD"
             "7zXZ\0\0\x04"),
         T::kArchive},
        {"zstd", {}, {}, Raw("\x28\xB5\x2F\xFD\x04\0"), T::kArchive},
        {"tar_ustar_at_257", {}, {}, Tar(), T::kArchive},
        {"mobi_bookmobi_at_60", {}, {}, Mobi(), T::kEbook},
        {"djvu", {}, {}, "AT&TFORM" + Be32(100) + "DJVUINFO", T::kEbook},
        {"pe_executable", "guide.pdf", {}, Raw("MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF"), T::kUnknown},
        {"elf_executable",
         {},
         {},
         Raw("\x7F"
             "ELF\x02\x01\x01\0"),
         T::kUnknown},
        {"mach_o_executable", {}, {}, Raw("\xCF\xFA\xED\xFE\x07\0\0\x01"), T::kUnknown},
        {"debian_package", {}, {}, "!<arch>\ndebian-binary   ", T::kUnknown},
        {"sqlite_database", {}, {}, Raw("SQLite format 3\0\x10\0"), T::kUnknown},
        {"iso9660_cd001", "image.zip", {}, Iso9660(), T::kUnknown},
        {"text_starting_with_mz_is_not_exe", {}, {}, "MZ Consulting: rapport annuel", T::kText},
    };
}

// --- 2. A host that determines the type --------------------------------------
// Hosts from the sample types of docs/mapping.md; matching follows the URL Standard's
// host parsing (case-insensitive, subdomains, optional scheme and www.).
std::vector<Case> HostCases() {
    return {
        {"youtube_watch_with_french_hint", "https://www.youtube.com/watch?v=abc", "Vidéo", {}, T::kVideo},
        {"youtu_be_without_scheme", "youtu.be/xyz", {}, {}, T::kVideo},
        {"youtu_be_bare", "youtu.be", {}, {}, T::kVideo},
        {"youtube_mobile", "https://m.youtube.com/watch?v=abc", {}, {}, T::kVideo},
        {"youtube_uppercase_no_scheme", "YouTube.COM/watch?v=x", {}, {}, T::kVideo},
        {"youtube_channel_page", "https://www.youtube.com/@dropskills", {}, {}, T::kVideo},
        {"youtube_nocookie_embed", "https://www.youtube-nocookie.com/embed/abc", {}, {}, T::kVideo},
        {"youtube_with_port_and_userinfo", "https://user@www.youtube.com:443/watch?v=1", {}, {}, T::kVideo},
        {"youtube_music_is_audio", "https://music.youtube.com/watch?v=abc", {}, {}, T::kAudio},
        {"vimeo", "https://vimeo.com/123456", {}, {}, T::kVideo},
        {"vimeo_player", "https://player.vimeo.com/video/123456", {}, {}, T::kVideo},
        {"host_beats_extension", "https://vimeo.com/download/video.pdf", {}, {}, T::kVideo},
        {"host_beats_mime", "https://www.youtube.com/watch?v=x", "application/pdf", {}, T::kVideo},
        {"host_beats_weak_html", "https://vimeo.com/1", {}, "<!DOCTYPE html><html>", T::kVideo},
        {"loom", "https://www.loom.com/share/abc123", {}, {}, T::kVideo},
        {"wistia", "https://fast.wistia.net/embed/iframe/abc", {}, {}, T::kVideo},
        {"dailymotion", "https://www.dailymotion.com/video/x8abc", {}, {}, T::kVideo},
        {"dailymotion_short", "dai.ly/x8abc", {}, {}, T::kVideo},
        {"tiktok", "https://www.tiktok.com/@coach/video/7212", {}, {}, T::kVideo},
        {"soundcloud", "https://soundcloud.com/artiste/extrait", {}, {}, T::kAudio},
        {"spotify_episode", "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk", {}, {}, T::kAudio},
        {"apple_podcasts", "https://podcasts.apple.com/fr/podcast/le-podcast/id1234", {}, {}, T::kAudio},
        {"google_sheets", "https://docs.google.com/spreadsheets/d/abc/edit", {}, {}, T::kSpreadsheet},
        {"google_docs", "https://docs.google.com/document/d/abc/edit?usp=sharing", {}, {}, T::kDocument},
        {"google_slides", "https://docs.google.com/presentation/d/abc/edit#slide=id.p", {}, {}, T::kPresentation},
        {"google_docs_workspace_path", "https://docs.google.com/a/ecole.fr/document/d/abc/edit", {}, {}, T::kDocument},
        {"google_docs_export_pdf", "https://docs.google.com/document/d/abc/export?format=pdf", {}, {}, T::kPdf},
        {"google_forms_is_link", "https://docs.google.com/forms/d/e/abc/viewform", {}, {}, T::kLink},
        {"notion_so", "https://www.notion.so/Guide-de-demarrage-0123456789abcdef", {}, {}, T::kDocument},
        {"notion_site_subdomain", "https://dropskills.notion.site/Bienvenue-abc", {}, {}, T::kDocument},
        {"notion_bare", "notion.so", {}, {}, T::kDocument},
        {"canva_design", "https://www.canva.com/design/DAFabc/view", {}, {}, T::kPresentation},
        {"canva_other_page_is_link", "https://www.canva.com/templates/", {}, {}, T::kLink},
        {"drive_folder", "https://drive.google.com/drive/folders/1AbCdEf", {}, {}, T::kLink},
        {"drive_folder_beats_hint", "https://drive.google.com/drive/u/0/folders/1AbC", "PDF", {}, T::kLink},
        {"drive_file_unknown_type", "https://drive.google.com/file/d/1AbC/view?usp=sharing", {}, {}, T::kLink},
        {"drive_file_with_mime", "https://drive.google.com/file/d/1AbC/view", "application/pdf", {}, T::kPdf},
        {"drive_file_with_word", "https://drive.google.com/file/d/1AbC/view", "Vidéo", {}, T::kVideo},
        {"dropbox_folder_scl", "https://www.dropbox.com/scl/fo/abc/xyz?rlkey=k&dl=0", {}, {}, T::kLink},
        {"dropbox_folder_sh", "https://www.dropbox.com/sh/abc/AAB?dl=0", {}, {}, T::kLink},
        {"dropbox_file_follows_extension", "https://www.dropbox.com/s/abc/Guide.pdf?dl=0", {}, {}, T::kPdf},
        {"dropbox_scl_file_follows_extension",
         "https://www.dropbox.com/scl/fi/abc/Cours.MP4?rlkey=x&dl=1",
         {},
         {},
         T::kVideo},
        {"wetransfer", "https://wetransfer.com/downloads/abc/def", {}, {}, T::kLink},
        {"wetransfer_short_beats_hint", "https://we.tl/t-AbCdEf", "PDF", {}, T::kLink},
        {"lookalike_host_is_not_youtube", "https://notyoutube.com/watch?v=x", {}, {}, T::kLink},
        {"host_suffix_only_at_label_boundary", "https://youtube.com.example.org/cours.pdf", {}, {}, T::kPdf},
    };
}

// --- 3. A specific MIME type ------------------------------------------------------
// MIME parsing: RFC 9110 §8.3.1 and WHATWG MIME Sniffing §4 (case-insensitive
// essence, parameters ignored); type -> extension per mime-db.
std::vector<Case> MimeCases() {
    return {
        {"mime_beats_extension", "x.mp4", "application/pdf", {}, T::kPdf},
        {"audio_mpeg_on_mp3", "extrait.mp3", "audio/mpeg", {}, T::kAudio},
        {"mime_case_and_parameters", {}, "Application/PDF; charset=binary", {}, T::kPdf},
        {"mime_surrounding_spaces", {}, "  video/mp4  ", {}, T::kVideo},
        {"unlisted_video_subtype", {}, "video/x-foo-bar", {}, T::kVideo},
        {"unlisted_audio_subtype", {}, "audio/x-whatever", {}, T::kAudio},
        {"unlisted_image_subtype", {}, "image/x-new-format", {}, T::kImage},
        {"text_csv", {}, "text/csv", {}, T::kSpreadsheet},
        {"text_tsv", {}, "text/tab-separated-values", {}, T::kSpreadsheet},
        {"text_html_is_link", {}, "text/html; charset=utf-8", {}, T::kLink},
        {"text_plain", {}, "text/plain", {}, T::kText},
        {"text_markdown", {}, "text/markdown", {}, T::kText},
        {"application_json", {}, "application/json", {}, T::kText},
        {"application_xml", {}, "application/xml", {}, T::kText},
        {"text_xml", {}, "text/xml", {}, T::kText},
        {"docx_mime", {}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", {}, T::kDocument},
        {"xlsx_mime", {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {}, T::kSpreadsheet},
        {"pptx_mime",
         {},
         "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         {},
         T::kPresentation},
        {"msword", {}, "application/msword", {}, T::kDocument},
        {"ms_excel", {}, "application/vnd.ms-excel", {}, T::kSpreadsheet},
        {"ms_powerpoint", {}, "application/vnd.ms-powerpoint", {}, T::kPresentation},
        {"odf_text", {}, "application/vnd.oasis.opendocument.text", {}, T::kDocument},
        {"odf_spreadsheet", {}, "application/vnd.oasis.opendocument.spreadsheet", {}, T::kSpreadsheet},
        {"odf_presentation", {}, "application/vnd.oasis.opendocument.presentation", {}, T::kPresentation},
        {"epub_zip", {}, "application/epub+zip", {}, T::kEbook},
        {"mobipocket", {}, "application/x-mobipocket-ebook", {}, T::kEbook},
        {"amazon_ebook", {}, "application/vnd.amazon.ebook", {}, T::kEbook},
        {"djvu_mime_is_ebook", {}, "image/vnd.djvu", {}, T::kEbook},
        {"application_zip", {}, "application/zip", {}, T::kArchive},
        {"rar_compressed", {}, "application/x-rar-compressed", {}, T::kArchive},
        {"vnd_rar", {}, "application/vnd.rar", {}, T::kArchive},
        {"seven_zip_mime", {}, "application/x-7z-compressed", {}, T::kArchive},
        {"gzip_mime", {}, "application/gzip", {}, T::kArchive},
        {"tar_mime", {}, "application/x-tar", {}, T::kArchive},
        {"hls_playlist", {}, "application/vnd.apple.mpegurl", {}, T::kVideo},
        {"hls_x_mpegurl", {}, "application/x-mpegURL", {}, T::kVideo},
        {"dash_manifest", {}, "application/dash+xml", {}, T::kVideo},
        {"msdownload", "guide.pdf", "application/x-msdownload", {}, T::kUnknown},
        {"portable_executable", {}, "application/vnd.microsoft.portable-executable", {}, T::kUnknown},
        {"msi_mime", {}, "application/x-msi", {}, T::kUnknown},
        {"apple_diskimage", {}, "application/x-apple-diskimage", {}, T::kUnknown},
        {"iso9660_mime", {}, "application/x-iso9660-image", {}, T::kUnknown},
        {"webvtt", {}, "text/vtt", {}, T::kText},
        {"subrip", {}, "application/x-subrip", {}, T::kText},
        {"octet_stream_refined_by_docx", "x.docx", "application/octet-stream", {}, T::kDocument},
        {"binary_octet_stream_refined_by_mp3", "a.mp3", "binary/octet-stream", {}, T::kAudio},
        {"x_download_refined_by_pdf", "https://cdn.example.com/cours.pdf", "application/x-download", {}, T::kPdf},
        {"octet_stream_alone", {}, "application/octet-stream", {}, T::kUnknown},
        {"octet_stream_on_page_url", "https://example.com/formation", "application/octet-stream", {}, T::kLink},
        {"generic_zip_mime_refined_by_docx", "report.docx", "application/zip", {}, T::kDocument},
        {"generic_zip_mime_not_refined_by_pdf", "guide.pdf", "application/zip", {}, T::kArchive},
        {"ole_storage_refined_by_xls", "tableau.xls", "application/x-ole-storage", {}, T::kSpreadsheet},
        {"ole_storage_alone_is_document", {}, "application/x-ole-storage", {}, T::kDocument},
        {"text_plain_refined_by_csv", "export.csv", "text/plain", {}, T::kSpreadsheet},
        {"text_plain_not_refined_by_pdf", "notes.pdf", "text/plain", {}, T::kText},
        {"unknown_application_mime_ignored", "cours.pdf", "application/x-foo", {}, T::kPdf},
        {"unknown_application_mime_is_not_a_word", {}, "application/x-video", {}, T::kUnknown},
        {"data_url_pdf", "data:application/pdf;base64,JVBERi0xLjQK", {}, {}, T::kPdf},
        {"data_url_png", "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", {}, {}, T::kImage},
        {"data_url_text_plain", "data:text/plain;charset=utf-8,Bonjour", {}, {}, T::kText},
        {"data_url_html_is_link", "data:text/html,<p>Bonjour</p>", {}, {}, T::kLink},
        {"data_url_octet_stream_payload_sniffed", "data:application/octet-stream;base64,JVBERi0xLjQK", {}, {}, T::kPdf},
        {"data_url_without_mime_payload_sniffed", "data:;base64,iVBORw0KGgoAAAANSUhEUg==", {}, {}, T::kImage},
        {"data_url_percent_payload_sniffed", "data:,Hello%20world", {}, {}, T::kText},
        {"data_url_mime_beats_hint_extension", "data:audio/mpeg;base64,AAAA", "Vidéo", {}, T::kAudio},
    };
}

// --- 4. The path extension ----------------------------------------------------------
// Extensions per the table of docs/mapping.md, "Sample types", and mime-db's extension lists; URL path
// handling (last segment, query and fragment ignored, percent-decoding) per
// the WHATWG URL Standard.
std::vector<Case> ExtensionCases() {
    std::vector<Case> cases = {
        {"marketplace_cdn_pdf", "https://cdn.dropskills.fr/samples/Guide%20Complet.PDF", "PDF", {}, T::kPdf},
        {"extension_beats_format_word", "a.mp3", "Vidéo", {}, T::kAudio},
        {"compressed_pdf_is_archive", "cours.pdf.gz", {}, {}, T::kArchive},
        {"tar_gz", "sauvegarde.tar.gz", {}, {}, T::kArchive},
        {"tgz", "pack.tgz", {}, {}, T::kArchive},
        {"setup_exe", "setup.exe", {}, {}, T::kUnknown},
        {"exe_beats_word", "https://example.com/dl/Installer.EXE", "PDF", {}, T::kUnknown},
        {"file_name_with_space", "Guide Complet.PDF", {}, {}, T::kPdf},
        {"windows_path", "C:\\docs\\a.docx", {}, {}, T::kDocument},
        {"unix_path_accents", "/home/marie/Cours Vidéo.MOV", {}, {}, T::kVideo},
        {"query_and_fragment_ignored", "https://example.com/file.pdf?download=1#page=2", {}, {}, T::kPdf},
        {"extension_only_in_query_ignored", "https://example.com/view?file=a.pdf", {}, {}, T::kLink},
        {"only_last_segment_counts", "https://example.com/docs.pdf/download", {}, {}, T::kLink},
        {"trailing_slash", "https://example.com/media/clip.mp4/", {}, {}, T::kVideo},
        {"percent_encoded_dot", "https://example.com/Le%20Guide%2Epdf", {}, {}, T::kPdf},
        {"matrix_parameter_ignored", "https://example.com/a.pdf;jsessionid=123", {}, {}, T::kPdf},
        {"relative_url_with_query", "files/ebook.epub?dl=1", {}, {}, T::kEbook},
        {"schemeless_host_and_path", "example.com/media/podcast.mp3", {}, {}, T::kAudio},
        {"signed_s3_url",
         "https://bucket.s3.eu-west-3.amazonaws.com/p/Extrait.mp4?X-Amz-Signature=abc&X-Amz-Expires=3600",
         {},
         {},
         T::kVideo},
        {"file_url", "file:///C:/Users/marie/Cours.pptx", {}, {}, T::kPresentation},
        {"ts_segment_is_video", "segment0001.ts", {}, {}, T::kVideo},
        {"ts_with_text_head_is_text", "app.ts", {}, "export const x = 1;\n", T::kText},
        {"extension_beats_weak_text", "notes.csv", {}, "nom,prix\nA,1\n", T::kSpreadsheet},
        {"extension_beats_mp3_frame_sync", "x.pdf", {}, Bytes({0xFF, 0xFB, 0x90, 0x64, 0x00}), T::kPdf},
        {"html_extension_is_link", "https://example.com/page.html", {}, {}, T::kLink},
        {"php_extension_is_link", "https://example.com/index.php?id=3", {}, {}, T::kLink},
    };
    struct Ext {
        const char* ext;
        SampleType type;
    };
    // One case per extension of the sample types table (plus common ones), as file
    // names: "sample.<ext>".
    const Ext exts[] = {
        {"pdf", T::kPdf},          {"mp4", T::kVideo},        {"mov", T::kVideo},        {"mkv", T::kVideo},
        {"webm", T::kVideo},       {"avi", T::kVideo},        {"m3u8", T::kVideo},       {"mpd", T::kVideo},
        {"wmv", T::kVideo},        {"m4v", T::kVideo},        {"mp3", T::kAudio},        {"wav", T::kAudio},
        {"ogg", T::kAudio},        {"flac", T::kAudio},       {"m4a", T::kAudio},        {"m4b", T::kAudio},
        {"opus", T::kAudio},       {"aac", T::kAudio},        {"png", T::kImage},        {"jpeg", T::kImage},
        {"jpg", T::kImage},        {"gif", T::kImage},        {"webp", T::kImage},       {"heic", T::kImage},
        {"svg", T::kImage},        {"psd", T::kImage},        {"avif", T::kImage},       {"doc", T::kDocument},
        {"docx", T::kDocument},    {"odt", T::kDocument},     {"rtf", T::kDocument},     {"pages", T::kDocument},
        {"xls", T::kSpreadsheet},  {"xlsx", T::kSpreadsheet}, {"ods", T::kSpreadsheet},  {"numbers", T::kSpreadsheet},
        {"csv", T::kSpreadsheet},  {"tsv", T::kSpreadsheet},  {"ppt", T::kPresentation}, {"pptx", T::kPresentation},
        {"odp", T::kPresentation}, {"key", T::kPresentation}, {"zip", T::kArchive},      {"rar", T::kArchive},
        {"7z", T::kArchive},       {"tar", T::kArchive},      {"bz2", T::kArchive},      {"xz", T::kArchive},
        {"zst", T::kArchive},      {"epub", T::kEbook},       {"mobi", T::kEbook},       {"azw3", T::kEbook},
        {"fb2", T::kEbook},        {"cbz", T::kEbook},        {"cbr", T::kEbook},        {"txt", T::kText},
        {"md", T::kText},          {"json", T::kText},        {"xml", T::kText},         {"srt", T::kText},
        {"vtt", T::kText},         {"yaml", T::kText},        {"htm", T::kLink},         {"aspx", T::kLink},
        {"msi", T::kUnknown},      {"dmg", T::kUnknown},      {"iso", T::kUnknown},      {"apk", T::kUnknown},
        {"deb", T::kUnknown},
    };
    for (const Ext& e : exts) {
        cases.push_back({std::string("ext_") + e.ext, std::string("sample.") + e.ext, {}, {}, e.type});
    }
    return cases;
}

// --- 5. Weak content sniffing ---------------------------------------------------------
// WHATWG MIME Sniffing §7.1 "Identifying a resource with an unknown MIME type"
// (HTML patterns, BOMs, binary data bytes) and §7.2 for text; libmagic's
// Magdir/animation for the MPEG audio frame sync and ADTS; `file-type`'s ico.
std::vector<Case> WeakCases() {
    return {
        {"plain_text", {}, {}, "Bonjour, voici le programme de la formation.\n", T::kText},
        {"utf8_text_with_accents", {}, {}, "Leçon 1 : les bases — été 2024", T::kText},
        {"json_text", {}, {}, "{\"titre\": \"Cours\", \"pages\": 12}", T::kText},
        {"html_doctype_is_link", {}, {}, "<!DOCTYPE html>\n<html lang=\"fr\">", T::kLink},
        {"html_tag_with_leading_space", {}, {}, "  \n<html><head><title>x</title>", T::kLink},
        {"html_body_fragment", {}, {}, "<body><p>Bonjour</p></body>", T::kLink},
        {"xml_is_text", {}, {}, "<?xml version=\"1.0\"?>\n<catalogue><item/></catalogue>", T::kText},
        {"xml_svg_is_image",
         {},
         {},
         "<?xml version=\"1.0\"?>\n<!-- Illustrator -->\n<svg xmlns=\"http://www.w3.org/2000/svg\">",
         T::kImage},
        {"bare_svg_is_image", {}, {}, "<svg width=\"10\" height=\"10\"></svg>", T::kImage},
        {"fictionbook_is_ebook",
         {},
         {},
         "<?xml version=\"1.0\" encoding=\"utf-8\"?><FictionBook xmlns=\"x\">",
         T::kEbook},
        {"dash_manifest_is_video", {}, {}, "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash\">", T::kVideo},
        {"hls_playlist_is_video", {}, {}, "#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nseg0.ts\n", T::kVideo},
        {"m3u_playlist_is_audio", {}, {}, "#EXTM3U\n#EXTINF:123,Artiste - Titre\ntitre.mp3\n", T::kAudio},
        {"utf8_bom_text", {}, {}, "\xEF\xBB\xBFTitre;Prix\n", T::kText},
        {"utf16le_bom_text",
         {},
         {},
         Raw("\xFF\xFE"
             "B\0o\0n\0j\0o\0u\0r\0"),
         T::kText},
        {"mp3_frame_sync_fffb", {}, {}, Bytes({0xFF, 0xFB, 0x90, 0x64, 0x00, 0x0F}), T::kAudio},
        {"mp3_frame_sync_fff3", {}, {}, Bytes({0xFF, 0xF3, 0x84, 0xC4, 0x00}), T::kAudio},
        {"aac_adts", {}, {}, Bytes({0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC}), T::kAudio},
        {"ico", {}, {}, Raw("\0\0\x01\0\x01\0\x10\x10\0\0\x01\0\x20\0"), T::kImage},
        {"weak_text_beats_format_word", {}, "Vidéo", "Transcription de la vidéo.\n", T::kText},
        {"weak_html_beats_format_word", {}, "PDF", "<!doctype html><title>Login</title>", T::kLink},
        {"weak_text_beats_link_fallback", "https://example.com/robots", {}, "User-agent: *\nDisallow:\n", T::kText},
        {"binary_garbage_head_is_unknown", {}, {}, Bytes({0x00, 0x13, 0x88, 0xFE, 0x01, 0x02, 0x9A}), T::kUnknown},
        {"invalid_utf8_is_not_text", {}, {}, "abc\xC3\x28 def", T::kUnknown},
        {"blank_head_is_unknown", {}, {}, " \n\t  ", T::kUnknown},
        {"garbage_head_then_format_word", {}, "Excel", Bytes({0x00, 0x01, 0x02, 0x03}), T::kSpreadsheet},
    };
}

// --- 6. A loose format word ---------------------------------------------------------------
// French and English format words, accent- and case-insensitive (Unicode
// canonical decomposition of the accented letters in Latin-1 Supplement).
std::vector<Case> WordCases() {
    return {
        {"video_accented", {}, "Vidéo", {}, T::kVideo},
        {"video_uppercase_accented", {}, "VIDÉO", {}, T::kVideo},
        {"video_decomposed_accent", {}, "Vide\xCC\x81o", {}, T::kVideo},
        {"video_english", {}, "video", {}, T::kVideo},
        {"film", {}, "film", {}, T::kVideo},
        {"mp4_word", {}, "MP4", {}, T::kVideo},
        {"pdf_upper", {}, "PDF", {}, T::kPdf},
        {"pdf_lower_with_dot", {}, " .pdf ", {}, T::kPdf},
        {"audio", {}, "Audio", {}, T::kAudio},
        {"podcast", {}, "podcast", {}, T::kAudio},
        {"livre_audio", {}, "Livre audio", {}, T::kAudio},
        {"image", {}, "Image", {}, T::kImage},
        {"photo", {}, "photo", {}, T::kImage},
        {"document", {}, "Document", {}, T::kDocument},
        {"doc", {}, "doc", {}, T::kDocument},
        {"word", {}, "Word", {}, T::kDocument},
        {"tableur", {}, "Tableur", {}, T::kSpreadsheet},
        {"excel", {}, "Excel", {}, T::kSpreadsheet},
        {"spreadsheet", {}, "spreadsheet", {}, T::kSpreadsheet},
        {"presentation_accented", {}, "Présentation", {}, T::kPresentation},
        {"powerpoint", {}, "PowerPoint", {}, T::kPresentation},
        {"slides", {}, "slides", {}, T::kPresentation},
        {"diapo", {}, "diapo", {}, T::kPresentation},
        {"archive", {}, "Archive", {}, T::kArchive},
        {"zip_word", {}, "zip", {}, T::kArchive},
        {"ebook", {}, "ebook", {}, T::kEbook},
        {"e_book_hyphen", {}, "e-book", {}, T::kEbook},
        {"livre_numerique", {}, "Livre numérique", {}, T::kEbook},
        {"epub_word", {}, "epub", {}, T::kEbook},
        {"texte", {}, "Texte", {}, T::kText},
        {"text", {}, "text", {}, T::kText},
        {"lien", {}, "lien", {}, T::kLink},
        {"link", {}, "link", {}, T::kLink},
        {"page_web", {}, "page web", {}, T::kLink},
        {"format_name_beats_kind", {}, "Ebook PDF", {}, T::kPdf},
        {"phrase_in_sentence", {}, "Formation vidéo (MP4, 1080p)", {}, T::kVideo},
        {"fichier_pdf", {}, "Fichier PDF", {}, T::kPdf},
        {"livre_audio_mp3", {}, "Livre audio MP3", {}, T::kAudio},
        {"single_extension_word", {}, "docx", {}, T::kDocument},
        {"pdf_a_is_not_a_mime", {}, "PDF/A", {}, T::kPdf},
        {"unknown_word_ignored", {}, "Bonus", {}, T::kUnknown},
        {"word_on_bare_name_without_extension", "notes", "PDF", {}, T::kPdf},
        {"word_on_unknown_extension", "rapport.final", "Excel", {}, T::kSpreadsheet},
        {"word_beats_link_fallback", "https://example.com/formation", "Vidéo", {}, T::kVideo},
    };
}

// --- 7. link for any other web URL, 8. unknown -----------------------------------------------
// The URL Standard's special schemes (http, https) and "www." hosts; any other
// input with nothing usable is unknown (docs/mapping.md, "Sample types").
std::vector<Case> FallbackCases() {
    return {
        {"https_page_is_link", "https://example.com/formation", {}, {}, T::kLink},
        {"http_root_is_link", "http://example.com", {}, {}, T::kLink},
        {"www_without_scheme", "www.example.com/page", {}, {}, T::kLink},
        {"schemeless_host_with_path", "example.com/formation", {}, {}, T::kLink},
        {"bare_domain_common_tld", "dropskills.fr", {}, {}, T::kLink},
        {"protocol_relative", "//cdn.example.com/sample", {}, {}, T::kLink},
        {"ipv4_host", "https://192.168.1.10/sample", {}, {}, T::kLink},
        {"unknown_extension_in_url", "https://example.com/v1.2", {}, {}, T::kLink},
        {"ftp_without_extension_is_unknown", "ftp://files.example.com/pack", {}, {}, T::kUnknown},
        {"all_null", {}, {}, {}, T::kUnknown},
        {"all_empty", "", "", "", T::kUnknown},
        {"all_whitespace", "   ", " \t ", {}, T::kUnknown},
        {"http_without_host", "http://", {}, {}, T::kUnknown},
        {"https_without_host", "https:///", {}, {}, T::kUnknown},
        {"percent_garbage", "%%%", {}, {}, T::kUnknown},
        {"empty_base64_data_url", "data:;base64,", {}, {}, T::kUnknown},
        {"data_url_without_comma", "data:application/pdf", {}, {}, T::kUnknown},
        {"bare_data_scheme", "data:", {}, {}, T::kUnknown},
        {"bare_name_unknown_extension", "notes.backup", {}, {}, T::kUnknown},
        {"bare_word", "formation", {}, {}, T::kUnknown},
        {"mailto", "mailto:contact@dropskills.fr", {}, {}, T::kUnknown},
        {"garbage_source_bytes", "\xFF\xFE\x01\x02\x80", {}, {}, T::kUnknown},
        {"nul_bytes_in_source", Raw("a\0b\0c"), {}, {}, T::kUnknown},
        {"invalid_utf8_hint", {}, "\xC3\x28\xA0\xA1", {}, T::kUnknown},
        {"host_with_percent_is_malformed", "https://%%%/", {}, {}, T::kUnknown},
    };
}

INSTANTIATE_TEST_SUITE_P(SampleTypeMagic, SampleTypeDetect, ::testing::ValuesIn(MagicCases()), CaseName);
INSTANTIATE_TEST_SUITE_P(SampleTypeHost, SampleTypeDetect, ::testing::ValuesIn(HostCases()), CaseName);
INSTANTIATE_TEST_SUITE_P(SampleTypeMime, SampleTypeDetect, ::testing::ValuesIn(MimeCases()), CaseName);
INSTANTIATE_TEST_SUITE_P(SampleTypeExtension, SampleTypeDetect, ::testing::ValuesIn(ExtensionCases()), CaseName);
INSTANTIATE_TEST_SUITE_P(SampleTypeWeak, SampleTypeDetect, ::testing::ValuesIn(WeakCases()), CaseName);
INSTANTIATE_TEST_SUITE_P(SampleTypeWord, SampleTypeDetect, ::testing::ValuesIn(WordCases()), CaseName);
INSTANTIATE_TEST_SUITE_P(SampleTypeFallback, SampleTypeDetect, ::testing::ValuesIn(FallbackCases()), CaseName);

// ---------------------------------------------------------------------------
// Non-table tests
// ---------------------------------------------------------------------------

constexpr SampleType kAllTypes[] = {
    T::kPdf,          T::kVideo,   T::kAudio, T::kImage, T::kDocument, T::kSpreadsheet,
    T::kPresentation, T::kArchive, T::kEbook, T::kText,  T::kLink,     T::kUnknown,
};

bool IsValid(SampleType t) {
    for (SampleType v : kAllTypes) {
        if (v == t) return true;
    }
    return false;
}

TEST(SampleTypeName, CoversAllTwelveNames) {
    const std::vector<std::string> expected = {"pdf",          "video",   "audio", "image", "document", "spreadsheet",
                                               "presentation", "archive", "ebook", "text",  "link",     "unknown"};
    ASSERT_EQ(std::size(kAllTypes), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(SampleTypeName(kAllTypes[i]), expected[i]);
    }
}

TEST(SampleTypeSuite, HasAtLeast150DetectionCases) {
    const std::size_t total = MagicCases().size() + HostCases().size() + MimeCases().size() + ExtensionCases().size() +
                              WeakCases().size() + WordCases().size() + FallbackCases().size();
    EXPECT_GE(total, 150u);
}

TEST(SampleTypeBounds, HugeInputsAreBoundedAndSafe) {
    const std::string long_path = "https://example.com/" + std::string(200000, 'a') + ".pdf";
    EXPECT_TRUE(IsValid(Detect(long_path, std::string(100000, 'x'), std::string(1 << 20, '\0'))));
    // A big data: URL: only its first bytes are decoded.
    std::string data = "data:application/octet-stream;base64,JVBERi0xLjQK";
    data.append(300000, 'A');
    EXPECT_EQ(Detect(data, {}, {}), T::kPdf);
    // A long file name keeps its extension (only the tail is decoded).
    EXPECT_EQ(Detect(std::string(5000, '%') + "Guide.epub", {}, {}), T::kEbook);
    // Zip heads full of local-header signatures terminate.
    std::string zips;
    while (zips.size() < 70000) zips += Raw("PK\x03\x04");
    EXPECT_EQ(Detect({}, {}, zips), T::kArchive);
}

// Deterministic pseudo-random inputs: the result is always one of the 12 types.
TEST(SampleTypeRobustness, RandomBytesNeverMisbehave) {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&state]() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    const std::string alphabet = Raw("htps:/.wyoucbePDFzipVde\xC3\xA9%?#;=&\0\xFF\x80 data,base64");
    const std::string prefixes[] = {"",      "https://", "data:", "www.", "PK\x03\x04",
                                    "%PDF-", "<?xml ",   "OggS",  "RIFF", "\xD0\xCF\x11\xE0"};
    for (int i = 0; i < 20000; ++i) {
        Opt parts[3];
        for (Opt& p : parts) {
            if (next() % 5 == 0) continue;  // absent
            std::string s = prefixes[next() % std::size(prefixes)];
            const std::size_t len = next() % 80;
            for (std::size_t k = 0; k < len; ++k) {
                s.push_back(next() % 2 ? alphabet[next() % alphabet.size()] : static_cast<char>(next()));
            }
            p = s;
        }
        const SampleType t = Detect(parts[0], parts[1], parts[2]);
        ASSERT_TRUE(IsValid(t));
        ASSERT_FALSE(SampleTypeName(t).empty());
    }
}

}  // namespace
}  // namespace dskv2::core
