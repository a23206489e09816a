"""Messages in the authors' language: Indonesian by default, English on request.

Every message modpack writes for a person goes through :func:`t` with its English template,
which is also its key (as in gettext); :data:`INDONESIAN` holds the translation of each one,
and a test checks that no template in the code lacks one. The language is, in order: the one
set with :func:`use` (the CLI's ``--lang``), ``MODPACK_LANG``, the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``: English when it says ``en``), else Indonesian. Shared by every
phase; may import nothing of modpack.
"""

from __future__ import annotations

import difflib
import errno
import os
from contextvars import ContextVar
from typing import Any, Iterable

LANGUAGES = ("id", "en")
_chosen: ContextVar[str | None] = ContextVar("modpack_messages_language", default=None)


def _normal(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().replace("_", "-")
    if value.startswith("en"):
        return "en"
    if value.startswith(("id", "in")):
        return "id"
    return None


def language() -> str:
    """'id' or 'en': the language messages are written in now."""
    chosen = _chosen.get()
    if chosen:
        return chosen
    for value in (os.environ.get("MODPACK_LANG"), os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"),
                  os.environ.get("LANG")):
        found = _normal(value)
        if found:
            return found
    return "id"


def use(lang: str | None) -> None:
    """Write messages in ``lang`` ('id', 'en', 'id-ID', 'en-US'...) from now on; None: back to the default."""
    if lang is not None and _normal(lang) is None:
        raise ValueError(f"unknown language '{lang}': choose id or en")
    _chosen.set(_normal(lang))


def t(template: str, **params: Any) -> str:
    """The message ``template`` (English) in the current language, with ``params`` filled in."""
    text = INDONESIAN.get(template, template) if language() == "id" else template
    return text.format(**params) if params else text


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``choices``, or ''."""
    options = list(choices)
    # compared case-blind (a capital from a word processor, 'Mulut-ke-mulut'), suggested as written
    by_lower = {option.lower(): option for option in reversed(options)}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=1, cutoff=0.6)
    return t(": did you mean '{suggestion}'?", suggestion=by_lower[close[0]]) if close else ""


_OS_REASONS = {  # errno name -> Indonesian; Python says the rest in English, as the system does
    "ENOENT": "berkas atau folder tidak ada", "EACCES": "tidak diizinkan", "EPERM": "tidak diizinkan",
    "EISDIR": "itu sebuah folder", "ENOTDIR": "bukan sebuah folder", "ENOSPC": "ruang disk habis",
    "EROFS": "sistem berkas hanya-baca", "EEXIST": "sudah ada", "ENAMETOOLONG": "nama terlalu panjang",
    "ELOOP": "terlalu banyak tautan simbolik", "EIO": "galat masukan/keluaran", "EDQUOT": "kuota disk habis",
}


def os_reason(exc: BaseException) -> str:
    """Why the system refused (an OSError's reason), in the user's language where it is a common one."""
    number = getattr(exc, "errno", None)
    said = getattr(exc, "strerror", None) or str(exc)
    if language() == "id" and isinstance(number, int):
        return _OS_REASONS.get(errno.errorcode.get(number, ""), said)
    return said


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(f"'{c}'" for c in choices)


def clip(text: str, limit: int = 80) -> str:
    """``text`` as a message quotes it: at most ``limit`` characters, '…' where it was cut (a value of
    a megabyte in a records file is not echoed whole), on one line (a line break in a value, shown
    as one, would let it begin a line of its own that looks like the tool's)."""
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return text.replace("\r", "\\r").replace("\n", "\\n") if "\n" in text or "\r" in text else text


# English template -> Indonesian. Keep placeholders ({name}) and quoted field names as they are:
# field names are the definition format's own words.
INDONESIAN: dict[str, str] = {
    # -- general -----------------------------------------------------------------------------
    ": did you mean '{suggestion}'?": ": maksud Anda '{suggestion}'?",
    "error": "kesalahan",
    "warning": "peringatan",
    "info": "info",
    "{count} error(s) in the definition:\n{lines}": "{count} kesalahan dalam definisi:\n{lines}",
    # -- reading files -------------------------------------------------------------------------
    "no module definition here: expected one of {names}": "tidak ada definisi modul di sini: diharapkan salah satu dari {names}",
    "no such file or folder": "berkas atau folder tidak ada",
    "cannot read the file: {reason}": "berkas tidak dapat dibaca: {reason}",
    "cannot read the file: it {reason}": "berkas tidak dapat dibaca: berkas itu {reason}",
    "the file is not valid UTF-8 text": "berkas bukan teks UTF-8 yang sah",
    "the Markdown file is not valid UTF-8 text: save it as UTF-8 (in Word or Notepad: Save As, encoding UTF-8)":
        "berkas Markdown bukan teks UTF-8 yang sah: simpan sebagai UTF-8 (di Word atau Notepad: Simpan Sebagai, "
        "pengodean UTF-8)",
    "the file is empty": "berkas kosong",
    "the file must hold a mapping of fields (e.g. 'id: ...')": "berkas harus berisi pasangan kolom dan nilai (mis. 'id: ...')",
    "YAML syntax: {problem}": "sintaks YAML: {problem}",
    "JSON syntax: {problem}": "sintaks JSON: {problem}",
    "mapping keys must be plain text": "kunci pemetaan harus berupa teks biasa",
    "duplicate key '{key}' (the earlier value would be lost)": "kunci '{key}' ditulis dua kali (nilai yang pertama akan hilang)",
    "unsupported YAML tag {tag}": "tag YAML {tag} tidak didukung",
    "an alias refers to a value that contains it": "sebuah alias merujuk ke nilai yang memuat alias itu sendiri",
    "the file expands to more than {limit} values (aliases of aliases?); a module definition is far smaller":
        "berkas mengembang menjadi lebih dari {limit} nilai (alias dari alias?); definisi modul jauh lebih kecil",
    "the file is too large: {size} bytes, over the {limit}-byte limit for a definition":
        "berkas terlalu besar: {size} bita, melebihi batas {limit} bita untuk sebuah definisi",
    "a line is too long: {length} characters, over the {limit}-character limit":
        "sebuah baris terlalu panjang: {length} karakter, melebihi batas {limit} karakter",
    "the file nests more than {limit} levels deep": "berkas bersarang lebih dari {limit} tingkat",
    # -- schema --------------------------------------------------------------------------------
    "required field '{name}' is missing": "kolom wajib '{name}' tidak ada",
    "unknown field '{name}'": "kolom '{name}' tidak dikenal",
    "unknown field '{name}' (fields here: {fields})": "kolom '{name}' tidak dikenal (kolom di sini: {fields})",
    "must not be empty": "tidak boleh kosong",
    "must be at most {limit}": "tidak boleh lebih dari {limit}",
    "must be less than {limit}": "harus kurang dari {limit}",
    "must be at least {limit}": "tidak boleh kurang dari {limit}",
    "must be more than {limit}": "harus lebih dari {limit}",
    "needs at least {count} items": "perlu paling sedikit {count} butir",
    "holds at most {count} items": "paling banyak {count} butir",
    "'{value}' is not a number: write it as {example}": "'{value}' bukan angka: tulis seperti {example}",
    "'{value}' is not a whole number: write it as {example}": "'{value}' bukan bilangan bulat: tulis seperti {example}",
    "'{value}' is not true or false: write it as {example}": "'{value}' bukan true atau false: tulis seperti {example}",
    "must be text, e.g. {example}": "harus berupa teks, mis. {example}",
    "must be a list, e.g. {example}": "harus berupa daftar, mis. {example}",
    "must be a mapping of fields, e.g. {example}": "harus berupa pasangan kolom dan nilai, mis. {example}",
    "must be text, or a map of language to text (e.g. id-ID: ..., en-US: ...)":
        "harus berupa teks, atau peta bahasa ke teks (mis. id-ID: ..., en-US: ...)",
    "'{value}' is not one of {choices}": "'{value}' bukan salah satu dari {choices}",
    "unknown question type '{value}'{hint} (types: {choices})":
        "jenis soal '{value}' tidak dikenal{hint} (jenis: {choices})",
    "a question needs a 'type': one of {choices}": "soal perlu 'type': salah satu dari {choices}",
    "'{value}' is not an e-mail address": "'{value}' bukan alamat surel",
    "this value is not accepted here ({kind})": "nilai ini tidak diterima di sini ({kind})",
    "'{value}' is not a valid id: use lowercase letters, digits and single hyphens, starting with a letter, at most 64 characters (e.g. 'rujukan-terpadu')":
        "'{value}' bukan id yang sah: gunakan huruf kecil, angka, dan tanda hubung tunggal, diawali huruf, paling banyak 64 karakter (mis. 'rujukan-terpadu')",
    "unknown language tag '{value}': BCP 47 tags use hyphens (e.g. '{suggestion}')":
        "tag bahasa '{value}' tidak dikenal: tag BCP 47 memakai tanda hubung (mis. '{suggestion}')",
    "unknown language tag '{value}': use a BCP 47 tag such as 'id-ID' or 'en-US'":
        "tag bahasa '{value}' tidak dikenal: gunakan tag BCP 47 seperti 'id-ID' atau 'en-US'",
    "no text in the module's default language '{lang}' (have: {have})":
        "tidak ada teks dalam bahasa utama modul '{lang}' (yang ada: {have})",
    "a file path must not be empty or start or end with spaces":
        "jalur berkas tidak boleh kosong atau diawali/diakhiri spasi",
    "'{value}': use '/' in paths, not '\\'": "'{value}': gunakan '/' dalam jalur, bukan '\\'",
    "'{value}' is an absolute path: give a path inside the module folder":
        "'{value}' adalah jalur absolut: berikan jalur di dalam folder modul",
    "'{value}' leaves the module folder ('..'): keep every file inside it":
        "'{value}' keluar dari folder modul ('..'): simpan setiap berkas di dalamnya",
    "'{value}' is not an http(s) URL": "'{value}' bukan URL http(s)",
    "'{value}' is not a version: use numbers and dots, e.g. '1.2.0'": "'{value}' bukan versi: gunakan angka dan titik, mis. '1.2.0'",
    "module '{value}' is listed twice": "modul '{value}' tercantum dua kali",
    "a language is listed twice": "sebuah bahasa tercantum dua kali",
    "completion.requires must name 'pages', 'post-test' or both": "completion.requires harus menyebut 'pages', 'post-test', atau keduanya",
    "completion.requires 'post-test' but the module has no post_test": "completion.requires menyebut 'post-test' tetapi modul tidak punya post_test",
    "completion.report 'passed-failed' needs 'post-test' in completion.requires":
        "completion.report 'passed-failed' memerlukan 'post-test' dalam completion.requires",
    "a video needs exactly one of 'file' (in the module) or 'url' (a link)":
        "video memerlukan tepat satu dari 'file' (di dalam modul) atau 'url' (tautan)",
    "a page needs exactly one of 'file' (a Markdown file) or 'text' (inline Markdown)":
        "halaman memerlukan tepat satu dari 'file' (berkas Markdown) atau 'text' (Markdown langsung)",
    "duplicate {what} id '{value}'": "id {what} '{value}' dipakai dua kali",
    "choice": "pilihan", "source": "sumber", "target": "pasangan", "item": "butir",
    "the correct answer '{value}' is not among the choices ({choices}){hint}":
        "jawaban benar '{value}' tidak ada di antara pilihan ({choices}){hint}",
    "correct answer(s) {values} not among the choices ({choices})": "jawaban benar {values} tidak ada di antara pilihan ({choices})",
    "a correct answer is listed twice": "sebuah jawaban benar tercantum dua kali",
    "'{value}' is not a source": "'{value}' bukan sumber", "'{value}' is not a target": "'{value}' bukan salah satu target",
    "source '{value}' has no match": "sumber '{value}' tidak punya pasangan",
    "a numeric question needs 'correct', or both 'min' and 'max'": "soal angka memerlukan 'correct', atau 'min' dan 'max'",
    "give either 'correct' or 'min'/'max', not both": "berikan 'correct' atau 'min'/'max', jangan keduanya",
    "'min' ({low}) is greater than 'max' ({high})": "'min' ({low}) lebih besar daripada 'max' ({high})",
    "the pool draws {draw} questions but holds only {count}": "bank soal mengambil {draw} soal tetapi hanya berisi {count}",
    "an assessment needs at least one question or pool": "tes memerlukan paling sedikit satu soal atau bank soal",
    "must be a number of JP from 0 to 1000": "harus berupa jumlah JP dari 0 sampai 1000",
    # -- rules beyond the schema ------------------------------------------------------------
    "objective": "tujuan", "lesson": "pelajaran", "page": "halaman", "assessment": "tes", "question": "soal",
    "facilitated session": "sesi tatap muka",
    "duplicate {kind} id '{value}' (first used on line {line})": "id {kind} '{value}' dipakai dua kali (pertama pada baris {line})",
    "no objective has the id '{value}'{hint}": "tidak ada tujuan dengan id '{value}'{hint}",
    "objective '{value}' is served by no lesson, question or session":
        "tujuan '{value}' tidak dilayani oleh pelajaran, soal, atau sesi mana pun",
    "no iri_base: activity ids will use the placeholder {placeholder}":
        "tidak ada iri_base: id aktivitas akan memakai pengganti {placeholder}",
    "facilitated_jp is {declared} but the facilitated sessions add up to {total} JP":
        "facilitated_jp bernilai {declared} tetapi sesi tatap muka berjumlah {total} JP",
    "no module definition in '{entry}'": "tidak ada definisi modul di '{entry}'",
    "module id '{value}' is also the id of modules[{index}]": "id modul '{value}' juga id dari modules[{index}]",
    "image '{target}' has no alt text: write ![what the image shows]({target})":
        "gambar '{target}' tidak punya teks alternatif: tulis ![apa yang ditunjukkan gambar]({target})",
    "{what} '{target}' is a file: URL on the author's machine: give a path inside the module folder":
        "{what} '{target}' adalah URL file: di komputer penulis: berikan jalur di dalam folder modul",
    "{what} '{target}' {reason}": "{what} '{target}' {reason}",
    "image": "gambar", "link": "tautan",
    "does not exist": "tidak ada",
    # -- the file rule ---------------------------------------------------------------------------
    "holds a NUL character": "memuat karakter NUL",
    "uses '\\': write '/' in paths": "memakai '\\': tulis '/' dalam jalur",
    "is an absolute path: give a path inside the module folder": "adalah jalur absolut: berikan jalur di dalam folder modul",
    "leads outside the module folder": "mengarah ke luar folder modul",
    "names the module folder, not a file": "menunjuk folder modul, bukan berkas",
    "is a file: URL on the author's machine: give a path inside the module folder":
        "adalah URL file: di komputer penulis: berikan jalur di dalam folder modul",
    "leads outside the module folder (through a symbolic link)": "mengarah ke luar folder modul (melalui tautan simbolik)",
    "does not exist in the module folder": "tidak ada di folder modul",
    "cannot be read: {reason}": "tidak dapat dibaca: {reason}",
    "is a folder, not a file": "adalah folder, bukan berkas",
    "is {kind}, not a regular file: modpack packs only regular files":
        "adalah {kind}, bukan berkas biasa: modpack hanya mengemas berkas biasa",
    "a FIFO (named pipe)": "FIFO (pipa bernama)", "a socket": "soket", "a device": "perangkat",
    "cannot be read (permission denied)": "tidak dapat dibaca (izin ditolak)",
    "lies in '{folder}', a folder of tools that modpack does not read: move the file into the module's own folders":
        "berada di '{folder}', folder alat yang tidak dibaca modpack: pindahkan berkas ke folder modul sendiri",
    "modpack build: valid again; the packages are as they were":
        "modpack build: sah kembali; paket tetap seperti sebelumnya",
    "the rebuild record cannot be written ({reason}): the next build builds again":
        "catatan build tidak dapat ditulis ({reason}): build berikutnya membangun ulang",
    "is not a regular file (a FIFO, device or socket): refused": "bukan berkas biasa (FIFO, perangkat, atau soket): ditolak",
    "now leads outside the module folder": "kini mengarah ke luar folder modul",
    "changed after it was checked": "berubah setelah diperiksa",
    "is not valid UTF-8 text": "bukan teks UTF-8 yang sah",
    "needs the module folder, but the module was not loaded from one":
        "memerlukan folder modul, tetapi modul tidak dimuat dari folder",
    "file '{value}' {reason}": "berkas '{value}' {reason}",
    "'{value}' {reason}": "'{value}' {reason}",
    "'{value}' is a hard link ({count} names share its content): make sure it is not a file from outside the module":
        "'{value}' adalah tautan keras ({count} nama berbagi isinya): pastikan bukan berkas dari luar modul",
    # -- building --------------------------------------------------------------------------------
    "the output folder '{out}' is inside the module folder '{root}': choose another with --out (modpack never writes into a module's source)":
        "folder keluaran '{out}' ada di dalam folder modul '{root}': pilih folder lain dengan --out (modpack tidak pernah menulis ke sumber modul)",
    "unknown format '{value}': choose one of {choices}, or all": "format '{value}' tidak dikenal: pilih salah satu dari {choices}, atau all",
    "no format given: choose one of {choices}, or all": "format tidak diberikan: pilih salah satu dari {choices}, atau all",
    "{module}: not packed: {reason}": "{module}: tidak dikemas: {reason}",
    "two pages have the id '{value}': each page needs its own id": "dua halaman memakai id '{value}': setiap halaman perlu id sendiri",
    "cannot read {file}: {reason}": "{file} tidak dapat dibaca: {reason}",
    "cannot write {file}: {reason}": "{file} tidak dapat ditulis: {reason}",
    "{descriptor} of {module} fails the {format} schemas:\n{problems}": "{descriptor} dari {module} tidak lolos skema {format}:\n{problems}",
    # -- starting a module -----------------------------------------------------------------------
    "'{target}' already exists and is not an empty folder; choose a new folder":
        "'{target}' sudah ada dan bukan folder kosong; pilih folder baru",
    "cannot make the folder '{folder}': {reason}": "folder '{folder}' tidak dapat dibuat: {reason}",
    "cannot write '{target}': {reason}": "'{target}' tidak dapat ditulis: {reason}",
    # -- the command line ------------------------------------------------------------------------
    "{path}: {verdict} ({errors} error(s), {warnings} warning(s))": "{path}: {verdict} ({errors} kesalahan, {warnings} peringatan)",
    "valid": "sah", "invalid": "tidak sah",
    "{path}: not built: fix the {count} error(s) above": "{path}: tidak dibangun: perbaiki {count} kesalahan di atas",
    "{path}: fix the {count} error(s) above": "{path}: perbaiki {count} kesalahan di atas",
    "Created {created}. Next: modpack validate {directory}": "{created} dibuat. Berikutnya: modpack validate {directory}",
    "Building": "Membangun",
    "modpack: internal error: {kind}: {detail}": "modpack: kesalahan internal: {kind}: {detail}",
    "Please report this with the command you ran.": "Mohon laporkan ini beserta perintah yang Anda jalankan.",
    "Aborted!": "Dibatalkan!",
    # -- info: a package's structure (sco, asset, AU, block: the standards' own words, kept) ---
    "title: {value}": "judul: {value}",
    "identifier: {value}": "pengenal: {value}",
    "version: {value}": "versi: {value}",
    "course: {value}": "kursus: {value}",
    "SCOs: {scos}, assets: {assets}": "SCO: {scos}, aset: {assets}",
    "organization {identifier}: {title}": "organisasi {identifier}: {title}",
    "{option} is given twice: give it once": "{option} diberikan dua kali: berikan sekali saja",
    "modpack preview: not rebuilt; still serving the last good build":
        "modpack preview: tidak dibangun ulang; tetap menyajikan hasil terakhir yang baik",
    "modpack preview: not rebuilt: {reason}": "modpack preview: tidak dibangun ulang: {reason}",
    "modpack preview: rebuilt ({generation}); open pages reload": "modpack preview: dibangun ulang ({generation}); halaman terbuka dimuat ulang",
    "Preview on {url}  (tracked: /tracked; statements in {file}). Ctrl+C to stop.":
        "Pratinjau di {url}  (tercatat: /tracked; pernyataan di {file}). Ctrl+C untuk berhenti.",
    # -- importing Word documents ---------------------------------------------------------------
    "Imported into {folder}: {questions} question(s), {warnings} warning(s) to look at. Next: modpack validate {folder}":
        "Diimpor ke {folder}: {questions} soal, {warnings} peringatan untuk diperiksa. Berikutnya: modpack validate {folder}",
    "not imported: {reason}": "tidak diimpor: {reason}",
    "it is an old Word document (.doc) or a password-protected one: open it in Word or LibreOffice, remove any password, and save it as .docx":
        "ini dokumen Word lama (.doc) atau dokumen berkata sandi: buka di Word atau LibreOffice, hapus kata sandinya, lalu simpan sebagai .docx",
    "it is not a Word document (.docx): not a zip package": "ini bukan dokumen Word (.docx): bukan paket zip",
    "it holds entries no Word document has: {reason}": "berisi entri yang tidak dimiliki dokumen Word: {reason}",
    "it cannot be read safely: {reason}": "tidak dapat dibaca dengan aman: {reason}",
    "it is a zip, but not a Word document: it has no word/document.xml":
        "ini zip, tetapi bukan dokumen Word: tidak ada word/document.xml",
    "it is damaged or not a Word document ({kind}: {detail})": "dokumen rusak atau bukan dokumen Word ({kind}: {detail})",
    "it has more than {limit} paragraphs: split it into modules": "berisi lebih dari {limit} paragraf: pecah menjadi beberapa modul",
    "no 'Alokasi Waktu ... JP' found: the workload is set to 1 JP; correct it in module.yaml":
        "tidak ditemukan 'Alokasi Waktu ... JP': beban belajar diisi 1 JP; perbaiki di module.yaml",
    "no Title style or first heading: the first paragraph is taken as the title":
        "tidak ada gaya Title atau judul pertama: paragraf pertama dipakai sebagai judul",
    "answer keys read from '{title}'": "kunci jawaban dibaca dari '{title}'",
    "answer key read from '{text}'": "kunci jawaban dibaca dari '{text}'",
    "image '{name}' has no alt text: 'Gambar N' was written; describe what it shows":
        "gambar '{name}' tidak punya teks alternatif: ditulis 'Gambar N'; jelaskan apa yang ditunjukkan gambar",
    "image '{name}' is linked from {url}, not embedded: it is left as a link (a package must work offline); insert the picture itself":
        "gambar '{name}' ditautkan dari {url}, tidak disisipkan: dibiarkan sebagai tautan (paket harus bisa dipakai luring); sisipkan gambarnya",
    "true-false question {number} has no answer in a key: kept as page text":
        "soal benar-salah nomor {number} tidak punya jawaban di kunci: disimpan sebagai teks halaman",
    "question {number} has no options a, b, c...: an essay question stays as page text":
        "soal nomor {number} tidak punya pilihan a, b, c...: soal uraian tetap sebagai teks halaman",
    "question {number} has no answer: no key and no option marked (bold or highlighted); kept as page text":
        "soal nomor {number} tidak punya jawaban: tidak ada kunci dan tidak ada pilihan yang ditandai (tebal atau disorot); disimpan sebagai teks halaman",
    "JP from 'Alokasi Waktu' of each lesson, added up: {jp}": "JP dari 'Alokasi Waktu' setiap pelajaran, dijumlahkan: {jp}",
    "JP from 'Alokasi Waktu': {jp}": "JP dari 'Alokasi Waktu': {jp}",
    "{count} empty paragraph(s)": "{count} paragraf kosong",
    "{count} page break(s)": "{count} pemisah halaman",
    "{count} comment(s)": "{count} komentar",
    "{count} generated table(s) of contents": "{count} daftar isi otomatis",
    "dropped Word noise: {what}": "unsur Word yang dibuang: {what}",
    "tracked changes accepted; deleted text left out: {text}": "perubahan terlacak diterima; teks yang dihapus tidak dimasukkan: {text}",
    "its XML parts hold {count} tags, over the {limit} a Word document may have (each becomes an object in memory)":
        "bagian XML-nya memuat {count} tag, melebihi {limit} yang boleh dimiliki dokumen Word (masing-masing menjadi objek di memori)",
    "link '{url}' is not a web address (a file on the author's computer, or a script): its text is kept without the link; put the file on a website and link that":
        "tautan '{url}' bukan alamat web (berkas di komputer penulis, atau skrip): teksnya disimpan tanpa tautan; unggah berkasnya ke situs web dan tautkan alamat itu",
    "not imported: the page '{title}' would hold {size} MB of text, over the {limit} MB a page may hold: split it with headings in Word (or import with --split-at)":
        "tidak diimpor: halaman '{title}' akan memuat {size} MB teks, melebihi {limit} MB yang boleh dimuat satu halaman: pecah dengan judul bagian di Word (atau impor dengan --split-at)",
    "browsers cannot show {kind} pictures: in Word, right-click it, 'Save as Picture' as PNG, and insert that":
        "peramban tidak dapat menampilkan gambar {kind}: di Word, klik kanan gambarnya, 'Save as Picture' sebagai PNG, lalu sisipkan gambar itu",
    "'.{suffix}' is not a picture a browser shows":
        "'.{suffix}' bukan gambar yang ditampilkan peramban",
    "'{target}' is a link; choose a new folder":
        "'{target}' adalah tautan; pilih folder baru",
    "'{path}' is a file, not a folder":
        "'{path}' adalah berkas, bukan folder",
    "it is damaged: it refers to a part it does not hold, or holds a part of no known type ({detail}); save it again in Word":
        "dokumen rusak: merujuk bagian yang tidak dimuatnya, atau memuat bagian yang jenisnya tidak dikenal ({detail}); simpan ulang di Word",
    "holds the control character U+{code}, which no package file can hold: remove it":
        "memuat karakter kendali U+{code}, yang tidak dapat dimuat berkas paket mana pun: hapus karakter itu",
    "is a loop of symbolic links: it leads to no file or folder":
        "adalah lingkaran tautan simbolik: tidak menuju berkas atau folder mana pun",
    "... and {count} more problems of the code '{code}', not shown (--format json lists every one)":
        "... dan {count} masalah lain dengan kode '{code}', tidak ditampilkan (--format json mencantumkan semuanya)",
    "'{file}' is empty: a learner would see or hear nothing; replace it":
        "'{file}' kosong: peserta tidak akan melihat atau mendengar apa pun; ganti berkasnya",
    "it is a device, a FIFO or a socket, not a file: give the path of a file to write (modpack replaces a file whole, and would replace it)":
        "itu perangkat, FIFO, atau soket, bukan berkas: berikan jalur sebuah berkas untuk ditulis (modpack mengganti berkas secara utuh, dan akan menggantinya)",
    "{option}: {value} is out of range: give a time between the years {low} and {high}":
        "{option}: {value} di luar rentang: berikan waktu antara tahun {low} dan {high}",
    "--since ({since}) is after the report's moment ({as_of}): nothing could be in it":
        "--since ({since}) setelah saat laporan ({as_of}): tidak ada yang bisa masuk ke dalamnya",
    "the module {id}": "modul {id}",
    "lesson '{lesson}' of {module}, split per lesson": "pelajaran '{lesson}' dari {module}, dipecah per pelajaran",
    "two packages of this build would be '{id}' ({first}; {second}): one zip would replace the other, and an LMS or an LRS would take them for one activity. Rename a lesson or a module":
        "dua paket dari build ini akan bernama '{id}' ({first}; {second}): satu zip akan menggantikan yang lain, dan LMS atau LRS akan menganggap keduanya satu aktivitas. Ganti nama sebuah pelajaran atau modul",
    "1: the file is UTF-16 text: save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)":
        "1: berkas ini teks UTF-16: simpan sebagai UTF-8 (misalnya 'CSV UTF-8' di aplikasi lembar kerja)",
    "'{file}' is cut short: the file ends before its picture does (a copy or an upload that stopped), so a learner may see only part of it; copy it again from where it came":
        "'{file}' terpotong: berkas berakhir sebelum gambarnya selesai (salinan atau unggahan yang terhenti), sehingga peserta mungkin hanya melihat sebagiannya; salin lagi dari sumber aslinya",
    "the file ends before its picture does (a copy or an upload that stopped): a learner may see only part of it; pack it again from a whole copy":
        "berkas berakhir sebelum gambarnya selesai (salinan atau unggahan yang terhenti): peserta mungkin hanya melihat sebagiannya; kemas lagi dari salinan yang utuh",
    "'{file}' is not WebVTT (it must begin with 'WEBVTT'; an .srt renamed is not): a browser shows no captions from it; convert it, e.g. with Subtitle Edit":
        "'{file}' bukan WebVTT (harus diawali 'WEBVTT'; .srt yang diganti namanya bukan WebVTT): peramban tidak menampilkan teks dari berkas ini; ubah formatnya, misalnya dengan Subtitle Edit",
    "from scene(s) {scenes} no path leads to an ending: a learner there would go round for ever; give one of them a choice that leads on":
        "dari adegan {scenes} tidak ada jalan menuju akhir: peserta di sana akan berputar tanpa henti; beri salah satunya pilihan yang mengarah keluar",
    "dropped '{title}' (modpack makes its own table of contents): {text}":
        "'{title}' dibuang (modpack membuat daftar isinya sendiri): {text}",
    "objectives read from '{title}'": "tujuan dibaca dari '{title}'",
    "kept as the test's instructions, not as a page: '{text}'": "disimpan sebagai petunjuk tes, bukan sebagai halaman: '{text}'",
    "text of '{title}' that is not a question was kept as a page": "teks '{title}' yang bukan soal disimpan sebagai halaman",
    # -- interactive blocks ------------------------------------------------------------------------
    "'{value}' is not a path relative to the page (e.g. ../gambar/peta.png)":
        "'{value}' bukan jalur relatif terhadap halaman (mis. ../gambar/peta.png)",
    "no choice leads to scene(s) {scenes}": "tidak ada pilihan yang menuju adegan {scenes}",
    "the scenario has no ending: every scene leads on": "skenario tidak punya akhir: setiap adegan berlanjut",
    "duplicate scene id '{value}'": "id adegan '{value}' dipakai dua kali",
    "scene '{scene}' has no choices: give it an outcome (good, fair or poor) as an ending":
        "adegan '{scene}' tidak punya pilihan: beri outcome (good, fair, atau poor) sebagai akhir",
    "a choice of scene '{scene}' leads to '{value}', which is no scene here":
        "sebuah pilihan di adegan '{scene}' menuju '{value}', yang bukan adegan di sini",
    "the {kind} block is empty": "blok {kind} kosong",
    "the {kind} block must hold fields (e.g. 'title: ...') or, for {lists}, a list of items":
        "blok {kind} harus berisi kolom (mis. 'title: ...') atau, untuk {lists}, daftar butir",
    "a {kind} block cannot be read": "blok {kind} tidak dapat dibaca",
    "a {kind} block cannot be read: {reason}": "blok {kind} tidak dapat dibaca: {reason}",
    "'{value}' is not an item": "'{value}' bukan butir", "'{value}' is not a category": "'{value}' bukan kategori",
    "item '{value}' has no category": "butir '{value}' tidak punya kategori", "category": "kategori",
    "'{value}' is not a colour: write it as #RRGGBB, e.g. #1b6e5a": "'{value}' bukan warna: tulis sebagai #RRGGBB, mis. #1b6e5a",
    "white text on {value} has a contrast of {ratio}:1, below WCAG AA's 4.5:1 (the bar, buttons and links use it): choose a darker colour, e.g. {suggestion}":
        "teks putih di atas {value} hanya berkontras {ratio}:1, di bawah 4,5:1 WCAG AA (dipakai bilah, tombol, dan tautan): pilih warna yang lebih gelap, mis. {suggestion}",
    "'{value}' is not a list of font names: use letters, digits, spaces, commas, hyphens and quotes, e.g. \"Noto Sans\", sans-serif":
        "'{value}' bukan daftar nama huruf: gunakan huruf, angka, spasi, koma, tanda hubung, dan tanda kutip, mis. \"Noto Sans\", sans-serif",
    # modpack progress
    '{path}: {enrolled} enrolled, {not_started} not started, {in_progress} in progress, {completed} completed ({passed} passed), {follow_up} to follow up; from {read} statements':
        '{path}: {enrolled} terdaftar, {not_started} belum mulai, {in_progress} sedang belajar, {completed} selesai ({passed} lulus), {follow_up} perlu ditindaklanjuti; dari {read} pernyataan',
    'modpack progress: {path} is a module; give the course file (course.yaml)':
        'modpack progress: {path} adalah modul; berikan berkas program (course.yaml)',
    'modpack progress: no credentials: set MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD (or MODPACK_LRS_AUTH), or give --credentials FILE':
        'modpack progress: tidak ada kredensial: isi MODPACK_LRS_USERNAME dan MODPACK_LRS_PASSWORD (atau MODPACK_LRS_AUTH), atau berikan --credentials BERKAS',
    "modpack progress: --start: '{value}' is not a date (YYYY-MM-DD or DD/MM/YYYY)":
        "modpack progress: --start: '{value}' bukan tanggal (TTTT-BB-HH atau HH/BB/TTTT)",
    'modpack progress: --pseudonymise needs a secret key of at least 16 characters, in MODPACK_PSEUDONYM_KEY or a file given with --pseudonym-key; keep it to get the same codes next time':
        'modpack progress: --pseudonymise memerlukan kunci rahasia sedikitnya 16 karakter, di MODPACK_PSEUDONYM_KEY atau di berkas yang diberikan dengan --pseudonym-key; simpan kunci itu agar kodenya sama lain kali',
    "modpack progress: --moodle-report '{value}': write it as MODULE=FILE":
        "modpack progress: --moodle-report '{value}': tuliskan sebagai MODUL=BERKAS",
    '{path}: fix the {count} problem(s) above':
        '{path}: perbaiki {count} masalah di atas',
    'modpack progress: {reason}':
        'modpack progress: {reason}',
    "modpack progress: --as-of: '{value}' is not a time (ISO 8601)":
        "modpack progress: --as-of: '{value}' bukan waktu (ISO 8601)",
    'the course has no loaded modules: load it with modpack.load(course.yaml)':
        'program ini tidak memuat modul: muat dengan modpack.load(course.yaml)',
    '--days must be at least 1':
        '--days sedikitnya 1',
    'no source of statements: give --lrs, --statements or --moodle-report':
        'tidak ada sumber pernyataan: berikan --lrs, --statements, atau --moodle-report',
    'left out: {statements} statement(s) of {learners} learner(s) not in the cohort':
        'tidak dihitung: {statements} pernyataan dari {learners} peserta yang tidak ada di daftar angkatan',
    '{count} statements without a readable actor or verb were left out':
        '{count} pernyataan tanpa aktor atau kata kerja yang terbaca tidak dihitung',
    "'{zone}' is not a time zone (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)":
        "'{zone}' bukan zona waktu (mis. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)",
    "--district: no learner of the cohort is in '{district}' (districts: {known})":
        "--district: tidak ada peserta angkatan di '{district}' (kabupaten/kota: {known})",
    '{path}: {count} more lines left out':
        '{path}: {count} baris lagi tidak dihitung',
    "--since: '{value}' is not a date (YYYY-MM-DD) or time (ISO 8601)":
        "--since: '{value}' bukan tanggal (TTTT-BB-HH) atau waktu (ISO 8601)",
    "--moodle-report: '{module}' is not a module of the course ({modules})":
        "--moodle-report: '{module}' bukan modul program ini ({modules})",
    'failed the post-test of {module} twice':
        'dua kali belum lulus pasca-tes {module}',
    'not started {days} days after the cohort began':
        'belum mulai {days} hari setelah angkatan dimulai',
    'inactive for {days} days':
        'tidak aktif selama {days} hari',
    '1: the file is empty: it needs a header row and a row per learner':
        '1: berkas kosong: perlu baris judul kolom dan satu baris per peserta',
    "{row}: email: '{value}' is not an email address":
        "{row}: email: '{value}' bukan alamat email",
    '{row}: email: missing: each learner needs an email or an account':
        '{row}: email: kosong: setiap peserta perlu email atau akun',
    "{row}: start_date: '{value}' is not a date (YYYY-MM-DD or DD/MM/YYYY)":
        "{row}: start_date: '{value}' bukan tanggal (TTTT-BB-HH atau HH/BB/TTTT)",
    '{row}: start_date: missing (or give --start for the whole cohort)':
        '{row}: start_date: kosong (atau berikan --start untuk seluruh angkatan)',
    '{row}: the line is longer than {limit} bytes':
        '{row}: baris lebih panjang dari {limit} bita',
    "{row}: not UTF-8 text: save the file as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)":
        "{row}: bukan teks UTF-8: simpan berkas sebagai UTF-8 (mis. 'CSV UTF-8' di lembar kerja)",
    "{row}: the header names no learner column: give 'email', 'account' or 'learner' (found: {found})":
        "{row}: judul kolom tidak memuat kolom peserta: berikan 'email', 'akun', atau 'peserta' (yang ada: {found})",
    '{row}: more than {limit} learners: split the cohort':
        '{row}: lebih dari {limit} peserta: bagi angkatannya',
    '{row}: {column}: the same learner as row {other}':
        '{row}: {column}: peserta yang sama dengan baris {other}',
    '{row}: {reason}':
        '{row}: {reason}',
    'the LRS kept failing ({status}) after {count} tries':
        'LRS terus gagal ({status}) setelah {count} kali dicoba',
    '{path}: not a file':
        '{path}: bukan berkas',
    'the LRS answered {status} when asked for statements: {detail}':
        'LRS menjawab {status} saat diminta pernyataan: {detail}',
    'the LRS refused the credentials ({status})':
        'LRS menolak kredensial ({status})',
    '{path}:{line}: longer than {limit} bytes, left out':
        '{path}:{line}: lebih panjang dari {limit} bita, tidak dihitung',
    "the LRS's answer holds no statement list (asking about {activity})":
        'jawaban LRS tidak memuat daftar pernyataan (saat menanyakan {activity})',
    "the LRS's 'more' link leads to another host ({host}); not followed":
        "tautan 'more' dari LRS menuju host lain ({host}); tidak diikuti",
    '{path}:{line}: not a JSON statement, left out':
        '{path}:{line}: bukan pernyataan JSON, tidak dihitung',
    'the LRS answered with something that is not JSON (asking about {activity})':
        'LRS menjawab dengan sesuatu yang bukan JSON (saat menanyakan {activity})',
    'the LRS at {address} cannot be reached: {reason}':
        'LRS di {address} tidak dapat dihubungi: {reason}',
    'the LRS did not answer in full within {seconds} s':
        'LRS tidak menjawab utuh dalam {seconds} detik',
    "the LRS's answer is in an encoding modpack does not read ({encoding})":
        'jawaban LRS memakai pengodean yang tidak dibaca modpack ({encoding})',
    "the LRS's {encoding} answer cannot be inflated ({reason})":
        'jawaban {encoding} dari LRS tidak dapat dibuka ({reason})',
    "the LRS's answer inflates to more than {limit} bytes":
        'jawaban LRS membesar menjadi lebih dari {limit} bita',
    "the LRS's answer holds more than {count} JSON objects":
        'jawaban LRS memuat lebih dari {count} objek JSON',
    'statement {id}: its actor names no learner (mbox, mbox_sha1sum, openid or account): not counted':
        'pernyataan {id}: aktornya tidak menyebut peserta (mbox, mbox_sha1sum, openid, atau account): tidak dihitung',
    '{path}: empty: download the report again from Moodle':
        '{path}: kosong: unduh lagi laporannya dari Moodle',
    '{path}:1: the report has no email address, username or ID number column; show one in Moodle (Site administration > Users > Permissions > Show user identity) and download it again':
        '{path}:1: laporan tidak memuat kolom alamat email, nama pengguna, atau nomor ID; tampilkan salah satunya di Moodle (Administrasi situs > Pengguna > Izin > Tampilkan identitas pengguna) lalu unduh lagi',
    "{path}:1: the report has no 'Started on' or 'Last accessed on' column: is it a SCORM basic report?":
        "{path}:1: laporan tidak memuat kolom 'Dimulai pada' atau 'Terakhir diakses pada': apakah ini laporan dasar SCORM?",
    '{days} days from {first} to {last}; by the last day {started} had started and {completed} had completed.':
        '{days} hari dari {first} sampai {last}; pada hari terakhir {started} peserta sudah mulai dan {completed} sudah selesai.',
    'Progress: {course}':
        'Kemajuan: {course}',
    '{n} learners shown':
        '{n} peserta ditampilkan',
    'Not started {a} days after the cohort began, inactive for {b} days, or a post-test failed twice; behind: fewer modules completed than a diklat of {days} days would have by now.':
        'Belum mulai {a} hari setelah angkatan dimulai, tidak aktif selama {b} hari, atau dua kali belum lulus pasca-tes; tertinggal: modul yang selesai lebih sedikit daripada yang semestinya sampai hari ini dalam diklat {days} hari.',
    'From {sources}; cohort {cohort} ({learners} learners); {read} statements read, {counted} about this cohort and course.':
        'Dari {sources}; angkatan {cohort} ({learners} peserta); {read} pernyataan dibaca, {counted} tentang angkatan dan program ini.',
    'Names and ids are replaced with stable codes (pseudonymised); districts and roles are kept.':
        'Nama dan identitas diganti dengan kode tetap (pseudonim); kabupaten/kota dan peran tetap ditampilkan.',
    "This report holds learners' personal data: keep it and share it only with those who supervise them.":
        'Laporan ini memuat data pribadi peserta: simpan dan bagikan hanya kepada yang membina mereka.',
    'As of {as_of} ({zone}); made {made} by modpack {version}.':
        'Keadaan per {as_of} ({zone}); dibuat {made} oleh modpack {version}.',
    'not started':
        'belum mulai',
    'in progress':
        'sedang belajar',
    'completed':
        'selesai',
    'started':
        'sudah mulai',
    'enrolled':
        'terdaftar',
    'passed':
        'lulus',
    'behind or stuck':
        'tertinggal atau macet',
    'need follow-up':
        'perlu tindak lanjut',
    'JP earned in all':
        'JP diperoleh seluruhnya',
    'reached {target} JP':
        'mencapai {target} JP',
    'district':
        'kabupaten/kota',
    'province':
        'provinsi',
    'share behind':
        'bagian tertinggal',
    'mean JP':
        'rata-rata JP',
    'Districts, the most lagging first':
        'Kabupaten/kota, yang paling tertinggal lebih dulu',
    'learner':
        'peserta',
    'status':
        'status',
    'modules':
        'modul',
    'lessons':
        'pelajaran',
    'post-test':
        'pasca-tes',
    'JP':
        'JP',
    'last activity':
        'aktivitas terakhir',
    'days inactive':
        'hari tidak aktif',
    'Every learner: {modules} modules, {lessons} lessons':
        'Semua peserta: {modules} modul, {lessons} pelajaran',
    'Statements stored since {since}.':
        'Pernyataan yang disimpan sejak {since}.',
    'Learners by day':
        'Peserta per hari',
    'Learners to contact':
        'Peserta yang perlu dihubungi',
    'Learners who started and who completed, and modules completed each day':
        'Peserta yang sudah mulai dan yang sudah selesai, serta modul yang selesai tiap hari',
    'Skip to the learners':
        'Langsung ke daftar peserta',
    'Cohort summary':
        'Ringkasan angkatan',
    'Completions by day':
        'Penyelesaian per hari',
    'By district':
        'Per kabupaten/kota',
    'The districts with the largest share of learners behind or stuck come first.':
        'Kabupaten/kota dengan bagian peserta tertinggal atau macet terbesar ditampilkan lebih dulu.',
    'Needs follow-up':
        'Perlu tindak lanjut',
    'Made by modpack {version}.':
        'Dibuat oleh modpack {version}.',
    'Learners':
        'Peserta',
    'Search a name or id':
        'Cari nama atau identitas',
    'all':
        'semua',
    'modules completed that day':
        'modul selesai hari itu',
    'The numbers by day':
        'Angka per hari',
    'day':
        'hari',
    'The cohort has not begun yet.':
        'Angkatan ini belum dimulai.',
    'why':
        'alasan',
    'No one needs following up today.':
        'Hari ini tidak ada yang perlu ditindaklanjuti.',
    'Left out':
        'Tidak dihitung',
    "'{text}' is read as {value} (in YAML the dot is a decimal point): if you mean {whole}, write {whole}":
        "'{text}' dibaca sebagai {value} (di YAML titik adalah tanda desimal): jika maksudnya {whole}, tulis {whole}",
    "'{value}' is not a finite number: write a number such as 70":
        "'{value}' bukan bilangan terhingga: tulis angka seperti 70",
    'values':
        'nilai',
    'characters of text':
        'karakter teks',
    "'{start}...' is a number too large to read ({digits} digits)":
        "'{start}...' adalah angka yang terlalu besar untuk dibaca ({digits} digit)",
    'the file holds more than {limit} characters; a module definition is far smaller (long text belongs in Markdown files)':
        'berkas memuat lebih dari {limit} karakter; definisi modul jauh lebih kecil (teks panjang tempatnya di berkas Markdown)',
    'the values nest more than {limit} levels deep; a module or course definition needs about ten':
        'nilai-nilainya bersarang lebih dari {limit} tingkat; definisi modul atau kursus hanya perlu sekitar sepuluh',
    'the file expands to more than {limit} {what} (aliases of aliases?); a module definition is far smaller':
        'berkas mengembang menjadi lebih dari {limit} {what} (alias dari alias?); definisi modul jauh lebih kecil',
    'is larger than {limit} bytes: refused':
        'lebih besar dari {limit} bita: ditolak',
    'the pages hold more than {limit} bytes of Markdown in all (a file used by several pages counts each time): split the module':
        'halaman-halaman memuat lebih dari {limit} bita Markdown seluruhnya (berkas yang dipakai beberapa halaman dihitung setiap kali): pecah modulnya',
    "'{file}' {reason}: split the page":
        "'{file}' {reason}: pecah halamannya",
    'is larger than {limit} bytes: too large for a picture':
        'lebih besar dari {limit} bita: terlalu besar untuk sebuah gambar',
    'declares a DTD; an SVG picture needs none (entities could expand without end)':
        'mendeklarasikan DTD; gambar SVG tidak memerlukannya (entitas bisa mengembang tanpa batas)',
    'is not an SVG picture (its root is not <svg>)':
        'bukan gambar SVG (akarnya bukan <svg>)',
    'is not well-formed XML: {reason}':
        'bukan XML yang tersusun baik: {reason}',
    "is active content (HTML, XML or script): opened from the package, it would run its script at the LMS's address. Link to it on a website instead, or, if your team wrote it, list it in delivery.trusted_active_files":
        'adalah konten aktif (HTML, XML, atau skrip): bila dibuka dari paket, skripnya berjalan di alamat LMS. Tautkan ke situs web saja, atau, jika tim Anda yang menulisnya, cantumkan di delivery.trusted_active_files',
    "'{value}' holds what could run script ({what}): it is packed without it, as a picture only":
        "'{value}' memuat bagian yang dapat menjalankan skrip ({what}): dikemas tanpa bagian itu, hanya sebagai gambar",
    'modpack build: watching {folder}; Ctrl+C to stop':
        'modpack build: memantau {folder}; Ctrl+C untuk berhenti',
    'modpack build: {count} of {total} packages kept as they were (their modules unchanged since the last build)':
        'modpack build: {count} dari {total} paket tetap seperti semula (modulnya tidak berubah sejak build terakhir)',
    'a worker process ended before it finished (exit status {code})':
        'sebuah proses pekerja berhenti sebelum selesai (status keluar {code})',
    'modpack build: nothing changed since the last build; the packages are as they were (--force builds anyway)':
        'modpack build: tidak ada yang berubah sejak build terakhir; paket tetap seperti semula (--force tetap membangun)',
    'modpack build: built in {seconds} s':
        'modpack build: selesai dibangun dalam {seconds} dtk',
    # -- download weights (weight.py) ------------------------------------------------------------
    "page '{page}' downloads {size} ({times}), over the budget of {budget} KB a page; heaviest: {file} ({file_size})":
        "halaman '{page}' mengunduh {size} ({times}), melebihi anggaran {budget} KB per halaman; terberat: {file} ({file_size})",
    "the package weighs {size}, over the budget of {budget} MB":
        "paket berukuran {size}, melebihi anggaran {budget} MB",
    "start (player and module data)": "awal (pemutar dan data modul)",
    "the {count} heaviest of {total} pages:": "{count} halaman terberat dari {total} halaman:",
    "whole package": "seluruh paket",
    "download (transfer time alone, 3G {fast} Mbit/s, 2G {slow} kbit/s):":
        "unduhan (waktu transfer saja, 3G {fast} Mbit/s, 2G {slow} kbit/s):",
    "{time} on {link}": "{time} di {link}",
    "{n} s": "{n} dtk",
    "{m} min {n} s": "{m} mnt {n} dtk",
    "unknown LMS '{value}': choose one of {choices}": "LMS '{value}' tidak dikenal: pilih salah satu dari {choices}",
    "{package} is {size}, over --max-size {limit} MB ({why}); heaviest: {files}":
        "{package} berukuran {size}, melebihi --max-size {limit} MB ({why}); terberat: {files}",
    "'{file}' has its index after its data: where the LMS sends whole files, a phone downloads all of it before it plays; move the index first (ffmpeg -i IN -c copy -movflags +faststart OUT)":
        "indeks '{file}' berada setelah datanya: bila LMS mengirim berkas utuh, ponsel harus mengunduh semuanya "
        "sebelum dapat memutar; pindahkan indeks ke depan (ffmpeg -i IN -c copy -movflags +faststart OUT)",
    "{module}: cannot be split per lesson: {reason}": "{module}: tidak dapat dipecah per pelajaran: {reason}",
    "it has one lesson, so it cannot be split": "modulnya hanya satu pelajaran, jadi tidak dapat dipecah",
    "one lesson of {module}, which cannot be split further":
        "satu pelajaran dari {module}, yang tidak dapat dipecah lagi",
    "{package} would be over --max-size {limit} MB: built as {count} packages, one per lesson ({names}); import each into the LMS":
        "{package} akan melebihi --max-size {limit} MB: dibangun menjadi {count} paket, satu per pelajaran ({names}); "
        "impor masing-masing ke LMS",
    "'{file}' plays at {rate} Mbit/s for {time}: over 3G's {link} Mbit/s, it stops to load as it plays; encode it at 1 Mbit/s or less":
        "'{file}' diputar pada {rate} Mbit/s selama {time}: melebihi {link} Mbit/s jaringan 3G, pemutarannya akan berhenti untuk memuat; enkode ulang pada 1 Mbit/s atau kurang",
    # -- resident server (modpack server) ------------------------------------------------------
    "it does not exist": "folder itu tidak ada",
    "it is not a folder (or it is a link)": "itu bukan folder (atau sebuah tautan)",
    "it belongs to user {owner}, not to you ({uid})": "folder itu milik pengguna {owner}, bukan milik Anda ({uid})",
    "others may use it (mode {mode}; it must be 700)":
        "pengguna lain dapat memakainya (mode {mode}; harus 700)",
    "cannot make {path}: {reason}": "tidak dapat membuat {path}: {reason}",
    "cannot use {path}: {why}": "tidak dapat memakai {path}: {why}",
    "a resident server needs fork and Unix sockets (Linux, macOS, BSD)":
        "server residen memerlukan fork dan soket Unix (Linux, macOS, BSD)",
    "the idle time must be above 0 seconds, not {idle}": "waktu diam harus di atas 0 detik, bukan {idle}",
    "the server ended at start (exit {code}): {log}": "server berhenti saat dimulai (kode keluar {code}): {log}",
    "the server did not answer within {seconds} s: {log}": "server tidak menjawab dalam {seconds} dtk: {log}",
    "(no message)": "(tanpa pesan)",
    "modpack: the resident server stopped before the command ended":
        "modpack: server residen berhenti sebelum perintah selesai",
    "modpack server {pid} is running ({socket}); it ends after {idle} s without a command":
        "server modpack {pid} berjalan ({socket}); berhenti setelah {idle} dtk tanpa perintah",
    "stopped {count} server(s)": "{count} server dihentikan",
    "no server was running": "tidak ada server yang berjalan",
    "no server is running": "tidak ada server yang berjalan",
    "modpack server {pid} ({socket}): {served} command(s) served, {running} running, idle {idle:.0f} s of {limit:.0f} s":
        "server modpack {pid} ({socket}): {served} perintah dilayani, {running} berjalan, diam {idle:.0f} dtk dari {limit:.0f} dtk",
    # -- records, statements and the LRS (modpack statements, send, report), check's framing --------
    'row {row}: {column}: {reason}':
        'baris {row}: {column}: {reason}',
    'row {row}: {reason}':
        'baris {row}: {reason}',
    "'{value}' is not a number":
        "'{value}' bukan angka",
    "'{value}' is not a finite number":
        "'{value}' bukan angka terhingga",
    "not UTF-8 text: save the file as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet)":
        "bukan teks UTF-8: simpan berkas sebagai UTF-8 (mis. 'CSV UTF-8' di lembar kerja)",
    'unknown column':
        'kolom tidak dikenal',
    "'{value}' is not an email address":
        "'{value}' bukan alamat email",
    'no learner: give email, or account (with account_homepage)':
        'tidak ada peserta: berikan email, atau account (dengan account_homepage)',
    'an account needs the home page of the system that issued it':
        'akun memerlukan halaman beranda sistem yang menerbitkannya',
    'missing':
        'kosong',
    "'{value}' is not an ISO 8601 date-time":
        "'{value}' bukan tanggal-waktu ISO 8601",
    "'{value}' has no time zone: add one, e.g. +07:00 (WIB)":
        "'{value}' tidak punya zona waktu: tambahkan, mis. +07:00 (WIB)",
    'must be more than 0':
        'harus lebih dari 0',
    'a test row needs a score':
        'baris tes memerlukan nilai (score)',
    '{score} is outside 0 to {top}':
        '{score} di luar rentang 0 sampai {top}',
    "'{value}' is not a UUID":
        "'{value}' bukan UUID",
    'an attendance row names the session':
        'baris kehadiran (attendance) harus menyebut sesinya',
    'a test row names the test':
        'baris tes (test) harus menyebut tesnya',
    'not valid JSON ({reason}, column {column})':
        'bukan JSON yang sah ({reason}, kolom {column})',
    'each line must be a JSON object':
        'setiap baris harus berupa objek JSON',
    'unknown column(s): {names} (see docs/statements.md)':
        'kolom tidak dikenal: {names} (lihat docs/statements.md)',
    'more values than columns':
        'nilai lebih banyak daripada kolom',
    "'{value}' is not a facilitated session of module '{module}' ({choices})":
        "'{value}' bukan sesi terfasilitasi modul '{module}' ({choices})",
    'it has none':
        'modul itu tidak punya sesi',
    "'{value}' is not a test of module '{module}' ({choices})":
        "'{value}' bukan tes modul '{module}' ({choices})",
    "'{value}' is not this module ('{module}')":
        "'{value}' bukan modul ini ('{module}')",
    'the statement is not valid xAPI: {problems}':
        'pernyataan (statement) bukan xAPI yang sah: {problems}',
    'the Authorization value holds a line break or another control character; it is refused (the value is not shown)':
        'nilai Authorization memuat pemisah baris atau karakter kendali lain; nilai itu ditolak (tidak ditampilkan)',
    'the Authorization value holds characters that are not ASCII; a Basic value is base64 (set MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD and modpack encodes them)':
        'nilai Authorization memuat karakter bukan ASCII; nilai Basic berupa base64 (isi MODPACK_LRS_USERNAME dan MODPACK_LRS_PASSWORD, modpack yang menyandikannya)',
    'the Authorization value is empty':
        'nilai Authorization kosong',
    "the LRS user name holds ':', which HTTP Basic cannot carry":
        "nama pengguna LRS memuat ':', yang tidak dapat dibawa HTTP Basic",
    'the LRS user name or password holds a line break or another control character (not shown)':
        'nama pengguna atau kata sandi LRS memuat pemisah baris atau karakter kendali lain (tidak ditampilkan)',
    'the LRS answered {status} ({reason}): is the endpoint its xAPI base URL?':
        'LRS menjawab {status} ({reason}): apakah alamatnya URL dasar xAPI LRS itu?',
    'another `modpack send` is sending with this checkpoint ({path}); wait for it to end, or give this one another --checkpoint':
        '`modpack send` lain sedang mengirim dengan checkpoint ini ({path}); tunggu sampai selesai, atau berikan --checkpoint lain untuk yang ini',
    "the credentials file '{file}' must hold one line, username:password":
        "berkas kredensial '{file}' harus berisi satu baris, username:password",
    "'{value}' is not an http(s) LRS endpoint":
        "'{value}' bukan alamat LRS http(s)",
    'the LRS address holds a user name or password: give credentials in the environment (MODPACK_LRS_USERNAME, MODPACK_LRS_PASSWORD) or a file, never in the URL':
        'alamat LRS memuat nama pengguna atau kata sandi: berikan kredensial lewat lingkungan (MODPACK_LRS_USERNAME, MODPACK_LRS_PASSWORD) atau berkas, jangan di URL',
    'the LRS refused the credentials ({status}): check MODPACK_LRS_USERNAME/PASSWORD or the credentials file':
        'LRS menolak kredensial ({status}): periksa MODPACK_LRS_USERNAME/PASSWORD atau berkas kredensial',
    "the checkpoint '{path}' cannot be written: give --checkpoint a path in a folder you can write":
        "checkpoint '{path}' tidak dapat ditulis: berikan --checkpoint di folder yang dapat Anda tulisi",
    "the credentials file '{file}' cannot be read ({reason})":
        "berkas kredensial '{file}' tidak dapat dibaca ({reason})",
    'not UTF-8 text':
        'bukan teks UTF-8',
    'the line is longer than {limit} bytes: not read':
        'barisnya lebih dari {limit} bita: tidak dibaca',
    'a value is longer than {limit} characters':
        'ada nilai yang lebih dari {limit} karakter',
    'cannot be read as CSV: {reason}':
        'tidak dapat dibaca sebagai CSV: {reason}',
    '{path}:{line}: {reason}, left out':
        '{path}:{line}: {reason}, tidak dihitung',
    'not a record: its values nest too deep':
        'bukan catatan: nilainya bersarang terlalu dalam',
    'max_size_mb must be a number of megabytes above 0, not {value}':
        'max_size_mb harus berupa jumlah megabita di atas 0, bukan {value}',
    "'{entry}' is the module folder of modules[{index}] ('{first}') again":
        "'{entry}' adalah folder modul modules[{index}] ('{first}') lagi",
    'the credentials file \'{file}\' needs "username" and "password" (text), or "auth"':
        'berkas kredensial \'{file}\' memerlukan "username" dan "password" (teks), atau "auth"',
    'the LRS did not take the statements after {count} retries (last: {last})':
        'LRS tidak menerima pernyataan setelah {count} kali dicoba ulang (terakhir: {last})',
    "the checkpoint '{path}' is a symbolic link: refused (it could point at any file); remove it or give --checkpoint another path":
        "checkpoint '{path}' adalah tautan simbolik: ditolak (bisa menunjuk berkas apa saja); hapus atau berikan --checkpoint lain",
    "the checkpoint '{path}' is not a file: give --checkpoint another path":
        "checkpoint '{path}' bukan berkas: berikan --checkpoint lain",
    "the checkpoint's lock '{path}' cannot be made ({reason})":
        "kunci checkpoint '{path}' tidak dapat dibuat ({reason})",
    "the credentials file '{file}' is not valid JSON":
        "berkas kredensial '{file}' bukan JSON yang sah",
    "row {row}: item: '{value}' is a session of none of the modules":
        "baris {row}: item: '{value}' bukan sesi modul mana pun",
    "the LRS's answer is not a statements result (xAPI §2.1.2: {example})":
        'jawaban LRS bukan hasil pernyataan (xAPI §2.1.2: {example})',
    "the LRS's 'more' link is not text":
        "tautan 'more' dari LRS bukan teks",
    "the LRS's answer is not JSON":
        'jawaban LRS bukan JSON',
    'the LRS sent a statement that is not an object: not counted':
        'LRS mengirim pernyataan yang bukan objek: tidak dihitung',
    'statement {id}: its JP ({value}) is not a number of 0 or more: not counted':
        'pernyataan {id}: JP-nya ({value}) bukan angka 0 atau lebih: tidak dihitung',
    '{rows} row(s): {written} statement(s) to {out}, {rejected} row(s) rejected':
        '{rows} baris: {written} pernyataan ke {out}, {rejected} baris ditolak',
    '{rows} row(s): {written} statement(s) (validated; use -o to write them), {rejected} row(s) rejected':
        '{rows} baris: {written} pernyataan (sudah divalidasi; pakai -o untuk menuliskannya), {rejected} baris ditolak',
    'modpack send: no credentials: set MODPACK_LRS_USERNAME and MODPACK_LRS_PASSWORD (or MODPACK_LRS_AUTH), or give --credentials FILE':
        'modpack send: tidak ada kredensial: isi MODPACK_LRS_USERNAME dan MODPACK_LRS_PASSWORD (atau MODPACK_LRS_AUTH), atau berikan --credentials BERKAS',
    'Sending':
        'Mengirim',
    'modpack send: {reason}. Progress is saved; run the same command again to resume.':
        'modpack send: {reason}. Kemajuan tersimpan; jalankan perintah yang sama lagi untuk melanjutkan.',
    'rejected ({id}): {reason}':
        'ditolak ({id}): {reason}',
    'rejected: {reason}':
        'ditolak: {reason}',
    ', {count} sent before (checkpoint)':
        ', {count} terkirim sebelumnya (checkpoint)',
    'sent {sent}, already stored {stored}, rejected {rejected}{skipped}; {batches} batch(es), {retries}':
        'terkirim {sent}, sudah tersimpan {stored}, ditolak {rejected}{skipped}; {batches} kelompok, {retries}',
    '{count} statement(s) had no id: each was given one from its line and text, so sending this file again stores '
    'nothing twice':
        '{count} pernyataan tidak ber-id: masing-masing diberi id dari baris dan isinya, sehingga mengirim berkas ini '
        'lagi tidak menyimpan apa pun dua kali',
    '{count} text box(es): their text is kept where each box is anchored; check its place on the page':
        '{count} kotak teks: teksnya disimpan di tempat kotak itu ditambatkan; periksa letaknya di halaman',
    "the page's HTML nests elements more than {limit} deep: nest less":
        'HTML halaman ini bersarang lebih dari {limit} tingkat: kurangi sarangnya',
    'its HTML nests elements more than {limit} deep: nest less':
        'HTML-nya bersarang lebih dari {limit} tingkat: kurangi sarangnya',
    "page '{page}': {reason}": "halaman '{page}': {reason}",
    "another {kind} on this page, at line {line}, has the id '{value}': an LMS would record both under it; give each "
    "its own":
        "{kind} lain di halaman ini, di baris {line}, ber-id '{value}': LMS akan mencatat keduanya dengan id itu; beri "
        "masing-masing id sendiri",
    'pass_mark is a percentage: {value} passes with under 1% right; write {percent} for {percent}%':
        'pass_mark adalah persentase: {value} berarti lulus dengan kurang dari 1% benar; tulis {percent} untuk '
        '{percent}%',
    'the page is empty: write its text, or remove the page':
        'halaman ini kosong: tulis isinya, atau hapus halamannya',
    "'{value}' is not a valid id: ids are lowercase: write '{lower}'":
        "'{value}' bukan id yang sah: id ditulis dengan huruf kecil: tulis '{lower}'",
    "'{entry}' is a module's definition file: list its folder, '{folder}'":
        "'{entry}' adalah berkas definisi modul: tulis foldernya, '{folder}'",
    "the answer key gives answers for question(s) {numbers}, which '{title}' does not have (a question not "
    "recognised, or a number mistyped?)":
        "kunci jawaban memberi jawaban untuk soal {numbers}, yang tidak ada di '{title}' (soal yang tidak dikenali, "
        "atau nomor salah ketik?)",
    "a scenario of another page ({file}, line {line}) has the id '{value}': an LMS would record both under it; give "
    "each its own":
        "skenario di halaman lain ({file}, baris {line}) ber-id '{value}': LMS akan mencatat keduanya dengan id itu; "
        "beri masing-masing id sendiri",
    "knowledge check": "cek pemahaman",
    "scenario": "skenario",
    '1 retry': '1 kali coba ulang',
    '{count} retries': '{count} kali coba ulang',
    'modpack report: warning: {problem}':
        'modpack report: peringatan: {problem}',
    '{path}: {standard}, {files} files, {size} KB':
        '{path}: {standard}, {files} berkas, {size} KB',
    'cannot be read':
        'tidak dapat dibaca',
    'has errors':
        'ada kesalahan',
    'ok':
        'baik',
    'no known standard':
        'tidak ada standar yang dikenal',
    # -- import: hostile and damaged documents ------------------------------------------------------
    "{name} unpacks to {size} MB of XML, over the {limit} MB a Word document's part may have":
        '{name} terurai menjadi {size} MB XML, melebihi {limit} MB yang boleh dimiliki satu bagian dokumen Word',
    'it holds what no Word document has: {reasons}':
        'isinya tidak dimiliki dokumen Word mana pun: {reasons}',
    'it is damaged: its document part has no body':
        'dokumen rusak: bagian dokumennya tidak punya isi (body)',
    'it is damaged: its {part} part has <{found}> at its root, not <{name}>':
        'dokumen rusak: bagian {part}-nya berakar <{found}>, bukan <{name}>',
    'it declares a DTD, which is never read':
        'bagian itu menyatakan DTD, yang tidak pernah dibaca',
    'it is not well-formed XML: {reason}':
        'bagian itu bukan XML yang tersusun baik: {reason}',
    "'Alokasi Waktu' gives {jp} JP, more than a module can have ({limit}): the workload is set to 1 JP; correct it in module.yaml":
        "'Alokasi Waktu' menyebut {jp} JP, melebihi batas satu modul ({limit}): beban belajar diisi 1 JP; perbaiki di module.yaml",
    'the footnotes cannot be read ({reason}): their text is left out; save the document again in Word and import it again':
        'catatan kaki tidak dapat dibaca ({reason}): teksnya tidak diambil; simpan ulang dokumen di Word lalu impor lagi',
    "not imported: '{target}' cannot be written: {reason}":
        "tidak diimpor: '{target}' tidak dapat ditulis: {reason}",
    'not imported: the module made from the document does not validate (below): please report it with the document':
        'tidak diimpor: modul yang dibuat dari dokumen itu tidak sah (lihat di bawah): laporkan beserta dokumennya',
    # -- an LRS that is hostile or broken; reports that must not overwrite ------------------------
    "the LRS's 'more' link leads back to a page already read; not followed again":
        "tautan 'more' dari LRS kembali ke halaman yang sudah dibaca; tidak diikuti lagi",
    "the LRS's answer runs past {count} pages; stopped":
        'jawaban LRS melewati {count} halaman; dihentikan',
    "the LRS's 'more' link is not a URL that can be followed: {url}":
        "tautan 'more' dari LRS bukan URL yang dapat diikuti: {url}",
    "'{path}' cannot be written: {reason}":
        "'{path}' tidak dapat ditulis: {reason}",
    "'{path}' exists and is not an earlier CSV report (only {names}): choose a new folder; nothing in it was touched":
        "'{path}' sudah ada dan bukan laporan CSV sebelumnya (hanya {names}): pilih folder baru; isinya tidak disentuh",
    'its name makes it a file that runs script':
        'namanya menjadikannya berkas yang menjalankan skrip',
    "picture '{name}' is left out: {reason}; the page keeps its alt text":
        "gambar '{name}' tidak diambil: {reason}; halamannya tetap memuat teks alternatifnya",
    'the TLS connection to the LRS failed ({reason}): is the address right, http or https, and its certificate valid?':
        'sambungan TLS ke LRS gagal ({reason}): apakah alamatnya benar, http atau https, dan sertifikatnya sah?',
    "text formatted as hidden was left out (an author's note is not the learner's): {text}":
        'teks berformat tersembunyi tidak diambil (catatan penulis bukan untuk peserta): {text}',
    '{count} equation(s), diagram(s) or chart(s) have no text a page can show: {what}; insert each as a picture with alt text':
        '{count} persamaan, diagram, atau bagan tidak punya teks yang dapat ditampilkan halaman: {what}; sisipkan masing-masing sebagai gambar dengan teks alternatif',
    'an equation':
        'persamaan',
    'a diagram or chart':
        'diagram atau bagan',
    'it holds no text, no picture and no table: is it the right file?':
        'dokumen ini tidak berisi teks, gambar, maupun tabel: apakah ini berkas yang benar?',
    'it is a Word document with macros (.docm): save it in Word as a plain .docx document':
        'ini dokumen Word bermakro (.docm): simpan di Word sebagai dokumen .docx biasa',
    # modpack check: findings about any package
    "{count} entries: more than the {max_entries} this check reads":
        "{count} entri: lebih dari {max_entries} yang dibaca pemeriksaan ini",
    "it would unpack to {total} bytes, over the {max_total_size}-byte limit (a zip bomb, or too large for any LMS)":
        "paket ini akan terekstrak menjadi {total} bita, melebihi batas {max_total_size} bita (bom zip, atau terlalu besar untuk LMS mana pun)",
    "the zip is one part of an archive split over {disks} disks; LMSs read whole zips only: join it (zip -s 0) and check the result":
        "zip ini satu bagian dari arsip yang dipecah menjadi {disks} bagian; LMS hanya membaca zip utuh: gabungkan (zip -s 0) lalu periksa hasilnya",
    "an XML file that is not a course structure (cmi5.xml), a manifest (imsmanifest.xml) or a Tin Can descriptor (tincan.xml)":
        "berkas XML yang bukan struktur kursus (cmi5.xml), manifes (imsmanifest.xml), maupun deskriptor Tin Can (tincan.xml)",
    "reading it would inflate more than {max_inflated} bytes in all (entries that share compressed data count each time): refused as a zip bomb":
        "membacanya akan mengekstrak lebih dari {max_inflated} bita seluruhnya (entri yang berbagi data terkompresi dihitung setiap kali): ditolak sebagai bom zip",
    "'{shown}' is not a regular file":
        "'{shown}' bukan berkas biasa",
    "'{name}' is {size} bytes, over the {limit} this check reads":
        "'{name}' berukuran {size} bita, melebihi {limit} yang dibaca pemeriksaan ini",
    "entry names are marked as UTF-8 but are not valid UTF-8":
        "nama entri ditandai UTF-8 tetapi bukan UTF-8 yang sah",
    "not a readable zip file ({exc})":
        "bukan berkas zip yang dapat dibaca ({exc})",
    "'{name}' would unpack to {file_size} bytes, over the limit":
        "'{name}' akan terekstrak menjadi {file_size} bita, melebihi batas",
    "'{name}' is compressed {value} to 1: a zip bomb is refused":
        "'{name}' dimampatkan {value} banding 1: bom zip ditolak",
    "not a readable zip file ({strerror})":
        "bukan berkas zip yang dapat dibaca ({strerror})",
    "not a regular file: a FIFO, device or socket is never read":
        "bukan berkas biasa: FIFO, perangkat, atau soket tidak pernah dibaca",
    "'{shown}' cannot be read ({strerror})":
        "'{shown}' tidak dapat dibaca ({strerror})",
    "'{name}' is damaged ({exc})":
        "'{name}' rusak ({exc})",
    "'{name}' cannot be read ({exc})":
        "'{name}' tidak dapat dibaca ({exc})",
    "'{name}' unpacks to more than the {limit} bytes it declares: refused as a zip bomb":
        "'{name}' terekstrak melebihi {limit} bita yang dinyatakannya: ditolak sebagai bom zip",
    "the folder holds more files or bytes than this check reads":
        "folder ini memuat lebih banyak berkas atau bita daripada yang dibaca pemeriksaan ini",
    "'{name}' unpacks to more than it declares: refused as a zip bomb":
        "'{name}' terekstrak melebihi yang dinyatakannya: ditolak sebagai bom zip",
    "holds spaces or control characters (write them %-encoded)":
        "memuat spasi atau karakter kendali (tulis dengan pengodean %)",
    "is not a valid URL (no host)":
        "bukan URL yang sah (tanpa host)",
    "uses the launch parameter name(s) {names} in its query: the LMS adds these at launch, and the AU would read the wrong ones (cmi5 §8.1)":
        "memakai nama parameter peluncuran {names} di query-nya: LMS menambahkannya saat peluncuran, dan AU akan membaca yang salah (cmi5 §8.1)",
    "the course has no AU: there is nothing to launch":
        "kursus tidak punya AU: tidak ada yang dapat diluncurkan",
    "AU '{id}'":
        "AU '{id}'",
    "is not a valid URL ({reason})":
        "bukan URL yang sah ({reason})",
    "id '{ident}' is used twice (first on line {line}); cmi5 requires every course, block, AU and objective id to be unique":
        "id '{ident}' dipakai dua kali (pertama di baris {line}); cmi5 mewajibkan setiap id kursus, blok, AU, dan tujuan unik",
    "id '{ident}' is not an IRI with a scheme (such as https://pelatihan.example.go.id/xapi/...): an LMS uses it as the xAPI activity id":
        "id '{ident}' bukan IRI dengan skema (seperti https://pelatihan.example.go.id/xapi/...): LMS memakainya sebagai id aktivitas xAPI",
    "objective reference '{idref}' names no objective of the course":
        "rujukan tujuan '{idref}' tidak menunjuk tujuan mana pun dari kursus",
    "AU '{id}' has no url: an LMS cannot launch it":
        "AU '{id}' tidak punya url: LMS tidak dapat meluncurkannya",
    "AU '{id}' has url '{url}', which {problem}":
        "AU '{id}' memiliki url '{url}', yang {problem}",
    "AU '{id}' has the relative url '{url}', but the course structure is given without a zip: its URLs must be absolute (cmi5 §14.2)":
        "AU '{id}' memiliki url relatif '{url}', tetapi struktur kursus diberikan tanpa zip: URL-nya harus absolut (cmi5 §14.2)",
    "masteryScore '{mastery_score}' of AU '{id}' is not from 0 to 1":
        "masteryScore '{mastery_score}' dari AU '{id}' tidak di antara 0 dan 1",
    "AU '{id}' launches '{url}', which is not in the package":
        "AU '{id}' meluncurkan '{url}', yang tidak ada di paket",
    " (it decodes to what looks like a real user name and password)":
        " (isinya tampak seperti nama pengguna dan kata sandi sungguhan)",
    " (it does not decode to a user name and password: perhaps not a credential)":
        " (isinya bukan nama pengguna dan kata sandi: mungkin bukan kredensial)",
    " (it decodes to what looks like a placeholder or test value; check it is not a real account)":
        " (isinya tampak seperti contoh atau nilai uji; pastikan itu bukan akun sungguhan)",
    "an HTTP Basic authorization string":
        "untaian otorisasi HTTP Basic",
    "an Authorization header with a value":
        "header Authorization beserta nilainya",
    "a URL with a user name and password":
        "URL dengan nama pengguna dan kata sandi",
    "a URL carrying a key or secret":
        "URL yang membawa kunci atau rahasia",
    "a secret in an XML element":
        "rahasia di dalam elemen XML",
    "a password or secret written as a value":
        "kata sandi atau rahasia yang ditulis sebagai nilai",
    "{value} MB unpacked: many LMS installations refuse uploads over 100 MB (Moodle's limit follows PHP's upload_max_filesize)":
        "{value} MB setelah dibuka: banyak instalasi LMS menolak unggahan di atas 100 MB (batas Moodle mengikuti upload_max_filesize PHP)",
    "{files} files: some LMSs time out unpacking more than {limit}":
        "{files} berkas: sebagian LMS kehabisan waktu saat membuka lebih dari {limit}",
    "the name is '{folded}' on a file system that ignores case or Unicode normalisation (Windows, macOS): unpacking one overwrites the other":
        "nama ini sama dengan '{folded}' di sistem berkas yang mengabaikan huruf besar-kecil atau normalisasi Unicode (Windows, macOS): membuka yang satu menimpa yang lain",
    "the name holds a {separator} (U+{value}), which looks like a folder separator but is not: the file is not where it appears to be":
        "nama ini memuat {separator} (U+{value}), yang tampak seperti pemisah folder padahal bukan: berkasnya tidak berada di tempat yang terlihat",
    "the name has spaces: some LMSs and web servers break links to it":
        "nama ini berisi spasi: sebagian LMS dan server web merusak tautan ke sana",
    "the name has non-ASCII characters: some LMSs store or serve it garbled":
        "nama ini berisi karakter non-ASCII: sebagian LMS menyimpan atau menyajikannya rusak",
    "the path is {count} characters: LMSs on Windows and some unzip tools fail near 260":
        "jalurnya {count} karakter: LMS di Windows dan sebagian alat unzip gagal di sekitar 260",
    "the name has characters that URLs or file systems treat specially (# ? % * : | \" < >)":
        "nama ini berisi karakter yang diperlakukan khusus oleh URL atau sistem berkas (# ? % * : | \" < >)",
    "the credential scan stopped at its budget ({max_scanned_total} bytes searched, {max_scan_work} examined closely); not (fully) scanned: {shown}":
        "pemindaian kredensial berhenti di batasnya ({max_scanned_total} bita dicari, {max_scan_work} diperiksa teliti); tidak (sepenuhnya) dipindai: {shown}",
    "'{part}' is a name Windows reserves or cannot store (CON, PRN, AUX, NUL, COM1-9, LPT1-9, or ending in a dot or space): an LMS on Windows cannot unpack it":
        "'{part}' adalah nama yang dicadangkan atau tidak dapat disimpan Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, atau berakhir dengan titik atau spasi): LMS di Windows tidak dapat membukanya",
    "too large to scan for credentials":
        "terlalu besar untuk dipindai kredensialnya",
    "the SVG holds script ('{value}'): drawn by <img> it is a picture, but opened by its own URL it runs at the LMS's address, as the learner":
        "SVG ini memuat skrip ('{value}'): lewat <img> ia hanya gambar, tetapi dibuka lewat URL-nya sendiri ia berjalan di alamat LMS, sebagai peserta",
    "{what} is written in the package{looks}: anyone who downloads it can use it. Hand credentials over at launch (cmi5, or the LMS's launch parameters) instead":
        "{what} tertulis di dalam paket{looks}: siapa pun yang mengunduhnya dapat memakainya. Serahkan kredensial saat peluncuran (cmi5, atau parameter peluncuran LMS)",
    " and {count} more":
        " dan {count} lainnya",
    "more credentials follow in this file; the first {count} are reported":
        "masih ada kredensial lain di berkas ini; {count} yang pertama dilaporkan",
    "contains a NUL character":
        "memuat karakter NUL",
    "is an absolute path":
        "adalah jalur absolut",
    "climbs out of the package with '..'":
        "keluar dari paket dengan '..'",
    "{what} launches a {scheme}: URL, which runs its content at the LMS's address instead of opening a page of the package":
        "{what} meluncurkan URL {scheme}:, yang menjalankan isinya di alamat LMS alih-alih membuka halaman paket",
    "{what} launches '{url}', a file on the author's computer: no learner can open it (launch a file of the package, by a path relative to the descriptor)":
        "{what} meluncurkan '{url}', berkas di komputer penyusun: tidak ada peserta yang dapat membukanya (luncurkan berkas dari paket, dengan jalur relatif terhadap deskriptor)",
    "{what} launches '{url}', which climbs out of the package with '..': an LMS serves only the package's own files":
        "{what} meluncurkan '{url}', yang keluar dari paket dengan '..': LMS hanya menyajikan berkas paket itu sendiri",
    "{what} launches '{url}', an address on the author's own computer or network: learners elsewhere cannot reach it":
        "{what} meluncurkan '{url}', alamat di komputer atau jaringan penyusun sendiri: peserta di tempat lain tidak dapat menjangkaunya",
    "the folder cannot be read ({strerror}): its files are not checked":
        "folder tidak dapat dibaca ({strerror}): berkas-berkasnya tidak diperiksa",
    "the entry's bytes overlap those of '{other}': a zip made by a zip tool never does this (a zip bomb, or two names for one file)":
        "bita entri ini tumpang-tindih dengan milik '{other}': zip buatan alat zip tidak pernah begini (bom zip, atau dua nama untuk satu berkas)",
    "refused: the name holds a NUL character; some unpackers cut it there (to '{name}'), others keep it, so two tools see two packages":
        "ditolak: nama memuat karakter NUL; sebagian pembuka zip memotongnya di situ (menjadi '{name}'), yang lain mempertahankannya, sehingga dua alat melihat dua paket",
    "refused: the entry's local header names it '{renamed}'; an unpacker that reads local headers would write another file than the one checked":
        "ditolak: header lokal entri menamainya '{renamed}'; pembuka zip yang membaca header lokal akan menulis berkas lain dari yang diperiksa",
    "refused: the entry name {why}; unpacking it could overwrite files outside the LMS's folder":
        "ditolak: nama entri {why}; membukanya dapat menimpa berkas di luar folder LMS",
    "refused: the entry is a symbolic link, which could point anywhere on the LMS's server":
        "ditolak: entri ini tautan simbolik, yang dapat menunjuk ke mana saja di server LMS",
    "{count} name(s) separate folders with '\\', not '/' (APPNOTE 4.4.17.1): {shown}. Moodle reads them as folders, other unpackers make one file of each whole name; zip the package again with a tool that writes '/'":
        "{count} nama memisahkan folder dengan '\\', bukan '/' (APPNOTE 4.4.17.1): {shown}. Moodle membacanya sebagai folder, pengekstrak zip lain membuat satu berkas dengan seluruh nama itu; zip ulang paket dengan alat yang menulis '/'",
    "refused: two entries have this name; which one an LMS keeps is unpredictable":
        "ditolak: dua entri bernama sama; mana yang disimpan LMS tidak dapat diduga",
    "{size} bytes at offset {offset} hold a file the central directory does not list: an unpacker that walks local headers would unpack it, unchecked":
        "{size} bita di posisi {offset} memuat berkas yang tidak tercantum di direktori pusat: pembuka zip yang menelusuri header lokal akan membukanya, tanpa diperiksa",
    "{size} bytes at offset {offset} belong to no entry (data in front of or between the files, e.g. an executable stub); LMSs' unpackers disagree on such zips: zip the files again":
        "{size} bita di posisi {offset} bukan milik entri mana pun (data di depan atau di antara berkas, misalnya potongan program); pembuka zip LMS berbeda pendapat tentang zip seperti ini: zip ulang berkas-berkasnya",
    "refused: the name is not valid UTF-8; LMSs cannot store it":
        "ditolak: nama ini bukan UTF-8 yang sah; LMS tidak dapat menyimpannya",
    "the name is UTF-8 but not marked so; some LMSs will garble it":
        "nama ini UTF-8 tetapi tidak ditandai demikian; sebagian LMS akan merusaknya",
    "refused: a symbolic link, which could point anywhere":
        "ditolak: tautan simbolik, yang dapat menunjuk ke mana saja",
    "a named pipe (FIFO)":
        "pipa bernama (FIFO)",
    "refused: {kind}, not a file: it cannot be zipped or served, and reading it could block or never end":
        "ditolak: {kind}, bukan berkas: tidak dapat di-zip atau disajikan, dan membacanya dapat macet atau tidak pernah selesai",
    "this file has {st_nlink} names (a hard link): the other may be outside the package, and a zip would hold a copy":
        "berkas ini punya {st_nlink} nama (hard link): nama lainnya mungkin di luar paket, dan zip akan memuat salinannya",
    "cannot be read (no permission)":
        "tidak dapat dibaca (tidak ada izin)",
    "cannot be read: {exc}":
        "tidak dapat dibaca: {exc}",
    "refused: the entry name is not valid UTF-8; LMSs cannot store it":
        "ditolak: nama entri bukan UTF-8 yang sah; LMS tidak dapat menyimpannya",
    "cannot be read ({strerror})":
        "tidak dapat dibaca ({strerror})",
    "not a regular file":
        "bukan berkas biasa",
    " (an XML identifier starts with a letter or '_' and holds only letters, digits, '_', '-' and '.': no spaces, commas or brackets; authoring tools that build ids from the course title break this. Moodle imports the package all the same; an LMS that validates manifests refuses it)":
        " (pengenal XML diawali huruf atau '_' dan hanya memuat huruf, angka, '_', '-', dan '.': tanpa spasi, koma, atau kurung; alat penyusun yang membentuk id dari judul kursus melanggar ini. Moodle tetap mengimpor paketnya; LMS yang memvalidasi manifes menolaknya)",
    " (an element the schema does not allow here, or not in the order it sets)":
        " (elemen yang tidak diizinkan skema di sini, atau tidak dalam urutan yang ditetapkannya)",
    "... and {value} more schema errors":
        "... dan {value} kesalahan skema lainnya",
    "no imsmanifest.xml, cmi5.xml or tincan.xml: this is not a SCORM, cmi5 or Tin Can package":
        "tidak ada imsmanifest.xml, cmi5.xml, atau tincan.xml: ini bukan paket SCORM, cmi5, atau Tin Can",
    "{count} file(s) listed by no resource of the manifest ({shown}): IMS CP expects every file listed, but the LMSs we know import them all the same":
        "{count} berkas tidak dicantumkan sumber daya mana pun di manifes ({shown}): IMS CP mengharapkan setiap berkas dicantumkan, tetapi LMS yang kami kenal tetap mengimpornya",
    "imsmanifest.xml is not a SCORM 1.2 or 2004 manifest (its namespace is '{value}')":
        "imsmanifest.xml bukan manifes SCORM 1.2 atau 2004 (namespace-nya '{value}')",
    "the package's {base} is inside '{value}/', not at the root: LMSs look for it at the root (zip the folder's contents, not the folder)":
        "{base} paket ini ada di dalam '{value}/', bukan di akar: LMS mencarinya di akar (zip isi foldernya, bukan foldernya)",
    "the descriptor must be named '{value}' exactly; LMSs on Linux will not find it":
        "deskriptor harus bernama tepat '{value}'; LMS di Linux tidak akan menemukannya",
    "only the descriptor was given: the files it names are not checked (check the zip or the folder for that)":
        "hanya deskriptor yang diberikan: berkas yang disebutnya tidak diperiksa (periksa zip atau foldernya untuk itu)",
    "SCORM 2004 2nd Edition is checked against the 3rd Edition schemas, its closest official set":
        "SCORM 2004 Edisi ke-2 diperiksa dengan skema Edisi ke-3, perangkat resmi yang paling dekat",
    "no item launches a SCO: an LMS shows the content but records no completion and no score":
        "tidak ada item yang meluncurkan SCO: LMS menampilkan isinya tetapi tidak mencatat penyelesaian maupun nilai",
    "schemaversion is '{version}' in a SCORM 1.2 manifest; LMSs expect '1.2'":
        "schemaversion bernilai '{version}' di manifes SCORM 1.2; LMS mengharapkan '1.2'",
    "schemaversion '{version}' names no SCORM 2004 edition ('2004 4th Edition', '2004 3rd Edition' or 'CAM 1.3'); checked as 4th Edition":
        "schemaversion '{version}' tidak menyebut edisi SCORM 2004 ('2004 4th Edition', '2004 3rd Edition', atau 'CAM 1.3'); diperiksa sebagai Edisi ke-4",
    "resource '{id}'":
        "sumber daya '{id}'",
    "SCO '{identifier}' launches '{href}', a page of another site: browsers keep it from the LMS's SCORM API, so nothing is tracked":
        "SCO '{identifier}' meluncurkan '{href}', halaman situs lain: peramban menghalanginya dari API SCORM milik LMS, sehingga tidak ada yang tercatat",
    "the default organization '{default}' does not exist (LMSs fall back to the first organization, which may not be the one meant)":
        "organisasi bawaan '{default}' tidak ada (LMS beralih ke organisasi pertama, yang mungkin bukan yang dimaksud)",
    "the manifest has no organization: an LMS has nothing to show":
        "manifes tidak punya organisasi: LMS tidak punya apa pun untuk ditampilkan",
    "item '{identifier}' has neither a resource nor child items":
        "item '{identifier}' tidak punya sumber daya maupun item anak",
    "masteryscore '{value}' is not a number from 0 to 100":
        "masteryscore '{value}' bukan angka dari 0 sampai 100",
    "the sequencing of item '{value}' refers to '{shared_ref}', which no imsss:sequencingCollection holds":
        "pengurutan item '{value}' merujuk '{shared_ref}', yang tidak dimuat imsss:sequencingCollection mana pun",
    "a sequencing rule of item '{value}' reads objective '{ref}', which the item does not declare":
        "aturan pengurutan item '{value}' membaca tujuan '{ref}', yang tidak dideklarasikan item itu",
    "minNormalizedMeasure '{text}' is outside -1 to 1":
        "minNormalizedMeasure '{text}' di luar -1 sampai 1",
    "the manifest names '{href}' in xsi:schemaLocation but does not ship it; LMSs do not need it":
        "manifes menyebut '{href}' di xsi:schemaLocation tetapi tidak menyertakannya; LMS tidak memerlukannya",
    "identifier '{identifier}' is used twice (first on line {line}): LMSs keep one and lose the other":
        "pengenal '{identifier}' dipakai dua kali (pertama di baris {line}): LMS menyimpan satu dan kehilangan yang lain",
    "identifier '{identifier}' holds '{value}': LMSs that build URLs or file names from identifiers may mangle it (letters, digits, '_', '-', '.' and ':' are safe)":
        "pengenal '{identifier}' memuat '{value}': LMS yang membentuk URL atau nama berkas dari pengenal dapat merusaknya (huruf, angka, '_', '-', '.', dan ':' aman)",
    "the manifest lists '{href}', which climbs out of the package with '..': an LMS serves only the package's own files":
        "manifes mencantumkan '{href}', yang keluar dari paket dengan '..': LMS hanya menyajikan berkas paket itu sendiri",
    "the manifest lists '{href}', which is not in the package":
        "manifes mencantumkan '{href}', yang tidak ada di paket",
    "resource '{identifier}' launches '{href}', which is not in the package":
        "sumber daya '{identifier}' meluncurkan '{href}', yang tidak ada di paket",
    "dependency '{ref}' names no resource":
        "dependensi '{ref}' tidak menunjuk sumber daya mana pun",
    "adlcp:location names '{href}', which is not in the package (LMSs do not read metadata files, but the package is incomplete)":
        "adlcp:location menyebut '{href}', yang tidak ada di paket (LMS tidak membaca berkas metadata, tetapi paketnya tidak lengkap)",
    " (it has one in {found}, not in {wanted})":
        " (ada, tetapi di {found}, bukan di {wanted})",
    "resource '{identifier}', launched by item '{identifier2}', has no adlcp:{type_attr}{where}: LMSs launch it as an asset and track nothing":
        "sumber daya '{identifier}', yang diluncurkan item '{identifier2}', tidak punya adlcp:{type_attr}{where}: LMS meluncurkannya sebagai aset dan tidak mencatat apa pun",
    "item '{identifier}' points to resource '{identifierref}', which does not exist":
        "item '{identifier}' menunjuk sumber daya '{identifierref}', yang tidak ada",
    "no namespace":
        "tanpa namespace",
    "item '{identifier}' launches resource '{identifierref}', which has no href":
        "item '{identifier}' meluncurkan sumber daya '{identifierref}', yang tidak punya href",
    "no activity has a launch file: there is nothing to open":
        "tidak ada aktivitas yang punya berkas peluncuran: tidak ada yang dapat dibuka",
    "activity id '{id}' is not an absolute IRI; LRSs reject such ids":
        "id aktivitas '{id}' bukan IRI absolut; LRS menolak id seperti itu",
    "activity '{id}'":
        "aktivitas '{id}'",
    "tincan.xml carries a provider secret: anyone who downloads the package can use it":
        "tincan.xml memuat rahasia penyedia: siapa pun yang mengunduh paket dapat memakainya",
    "activity '{id}' launches '{launch}', which is not in the package":
        "aktivitas '{id}' meluncurkan '{launch}', yang tidak ada di paket",
    "refused: {exc}":
        "ditolak: {exc}",
    "refused: the file declares a DTD; its entities could expand without end or read files from the server (XXE), so it is not parsed":
        "ditolak: berkas ini mendeklarasikan DTD; entitasnya dapat mengembang tanpa batas atau membaca berkas dari server (XXE), jadi tidak diurai",
    "not well-formed XML: {msg}":
        "XML tidak tersusun dengan benar: {msg}",
}


# click's own words for a command line it cannot read (its usage errors), said through t() by
# cli._speak_click(); each is click's template as it is written, placeholders and all (a path's
# kind, {name}, is left out: click names it in English as the command is defined, before this)
CLICK: dict[str, str] = {
    "Error: {message}": "Kesalahan: {message}",
    "Usage:": "Penggunaan:",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "No such option {name!r}.": "Tidak ada opsi {name!r}.",
    "No such command {name!r}.": "Tidak ada perintah {name!r}.",
    "Did you mean {possibility}?": "Maksud Anda {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksud Anda salah satu dari: {possibilities}?)",
    "Missing argument": "Argumen belum diberikan",
    "Missing option": "Opsi belum diberikan",
    "Missing parameter": "Parameter belum diberikan",
    "Missing {param_type}": "{param_type} belum diberikan",
    "Missing parameter: {param_name}": "Parameter belum diberikan: {param_name}",
    "Missing command.": "Perintahnya belum diberikan.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Got unexpected extra argument ({args})": "Ada argumen tambahan yang tidak diharapkan ({args})",
    "Got unexpected extra arguments ({args})": "Ada argumen tambahan yang tidak diharapkan ({args})",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan nilai.",
    "Option {name!r} requires {nargs} arguments.": "Opsi {name!r} memerlukan {nargs} nilai.",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} tidak dalam rentang {range}.",
    "{value!r} does not match the format {format}.": "{value!r} tidak sesuai format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} tidak sesuai format {formats}.",
    "{name} {filename!r} does not exist.": "{filename!r} tidak ada.",
    "{name} {filename!r} is a file.": "{filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} is not readable.": "{filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{filename!r} tidak dapat ditulisi.",
    "{name} {filename!r} is not executable.": "{filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    # the headings and notes of --help, and the usage line's placeholders
    "[OPTIONS]": "[OPSI]",
    "COMMAND [ARGS]...": "PERINTAH [ARGUMEN]...",
    "Options": "Opsi",
    "Commands": "Perintah",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
}
INDONESIAN.update(CLICK)
