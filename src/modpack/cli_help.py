"""The command line's help in Indonesian: the help of each command and option, found by the
first eight hex digits of the SHA-1 of its English text. A test holds every help the command
line shows to an entry here, so an English help rewritten without its Indonesian is caught."""

INDONESIAN_HELP: dict[str, str] = {
    # modpack
    'a6bd8e4c': (
        'Ubah definisi modul pelatihan menjadi paket e-learning yang dapat dijalankan LMS mana pun.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack init modul-baru                 # mulai sebuah modul (berbahasa Indonesia)\n'
        '  modpack validate modul-baru             # periksa; semua masalah sekaligus\n'
        '  modpack validate samples/course.yaml    # seluruh kursus\n'
        '  modpack schema > module.schema.json     # untuk editor Anda\n'
    ),
    # --version
    'e395079a': 'Tampilkan versi, lalu keluar.',
    # --lang
    'ff0c081e': 'Bahasa pesan: id (bahasa Indonesia, bawaan) atau en. Juga MODPACK_LANG atau locale.',
    # -h
    '580ec778': 'Tampilkan pesan ini, lalu keluar.',
    # validate
    'ee057779': (
        'Periksa folder modul, module.yaml, atau berkas kursus.\n'
        '\n'
        'Mencetak setiap masalah sebagai berkas:baris:kolom: kolom-isian: pesan, lalu apa yang diunduh\n'
        'peserta untuk melihat setiap halaman (byte, waktu di 3G dan 2G), dengan peringatan untuk setiap\n'
        'halaman atau paket yang melebihi anggaran modul. Keluar 0 bila sah, 2 bila ada kesalahan, 1 '
        'bila\n'
        '--strict menemukan peringatan.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack validate samples/rujukan-terpadu\n'
        '  modpack validate samples/course.yaml --strict\n'
        '  modpack validate modul-baru --format json\n'
    ),
    # validate --strict
    '26f32d98': 'Gagal (keluar 1) juga karena peringatan.',
    # validate --format
    '05cf0d32': 'json: satu objek berisi setiap diagnostik, untuk alat lain.',
    # build
    '55e6f4c2': (
        'Bangun sebuah modul, atau setiap modul sebuah kursus, menjadi paket LMS.\n'
        '\n'
        'Setiap paket adalah zip bernama MODUL-VERSI-FORMAT.zip, ditulis utuh atau tidak sama sekali.\n'
        'Bila tidak ada berkas yang berubah sejak pembangunan terakhir ke --out, tidak ada yang ditulis\n'
        'ulang (--force tetap membangun). Keluar 0 bila terbangun, 2 bila definisinya tidak sah, 3 bila\n'
        '--validate menemukan manifes yang tidak lolos skema resmi.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack build samples/rujukan-terpadu                     # SCORM 1.2 ke dist/\n'
        '  modpack build samples/course.yaml --format scorm2004 --out paket\n'
        '  modpack build modul-baru --validate\n'
        '  modpack build modul-baru --format all              # keempat format sekaligus\n'
        '  modpack build modul-baru --watch                   # bangun ulang setiap disimpan, sampai '
        'Ctrl+C\n'
        '  modpack build modul-baru --lms ilias --max-size 20  # sebagaimana ILIAS paling baik, paling '
        'besar 20 MB\n'
    ),
    # build --format
    '3d0c14fb': (
        'scorm12 (bawaan) berjalan di setiap LMS; scorm2004 adalah SCORM 2004 Edisi ke-4; cmi5 dan xapi '
        "(Tin Can) melapor ke LRS. Ulangi, atau tulis 'scorm12,cmi5', atau 'all', untuk beberapa."
    ),
    # build --out
    '316a759c': 'Folder untuk zip (tidak pernah di dalam folder modul).',
    # build --validate
    '96b73f06': 'Periksa setiap manifes terhadap skema resmi sebelum ditulis.',
    # build --force
    '00e7ec2f': 'Tetap bangun meski tidak ada yang berubah sejak pembangunan terakhir ke --out.',
    # build --watch
    '8d0feeed': 'Bangun, lalu bangun lagi setiap kali sebuah berkas modul disimpan.',
    # build --lms
    '539d3809': (
        'Kemas sebagaimana LMS ini menanganinya paling baik: formatnya (kecuali --format menentukan) dan '
        'strukturnya (docs/lms.md).'
    ),
    # build --max-size
    '59ee12a7': (
        'Batas unggah LMS: modul yang melebihinya dibangun sebagai satu paket per pelajaran; yang masih '
        'melebihinya ditolak, tanpa menulis apa pun.'
    ),
    # check
    '396c957d': (
        'Nilai paket (zip atau folder), termasuk buatan pihak lain.\n'
        '\n'
        'Mengenali SCORM 1.2, SCORM 2004 (Edisi ke-2, ke-3, ke-4), cmi5 atau Tin Can, memvalidasi\n'
        'deskriptornya terhadap skema resmi dan memeriksa apa yang tidak dapat diperiksa skema. Hanya\n'
        'membaca: tidak mengekstrak dan tidak mengunduh apa pun. Keluar 0 tanpa kesalahan, 1 dengan\n'
        'kesalahan, 2 bila paket tidak dapat dibaca, 3 bila deskriptornya tidak lolos skemanya; untuk\n'
        'beberapa paket, yang tertinggi di antaranya (satu folder penuh paket membayar waktu mulai '
        'sekali).\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack check dist/rujukan-terpadu-1.2.0-scorm12.zip\n'
        '  modpack check dist/*.zip\n'
        '  modpack check paket-vendor.zip --format json\n'
    ),
    # check --format
    'dac8d793': 'json: laporan yang diuraikan di docs/check.md, untuk alat lain (beberapa paket: daftarnya).',
    # info
    '684d942e': (
        'Tampilkan struktur paket: organisasi dan item (SCO, aset), atau blok dan AU.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack info dist/rujukan-terpadu-1.2.0-scorm2004.zip\n'
    ),
    # statements
    '566430b5': (
        'Ubah catatan kehadiran, tes luring dan penyelesaian (CSV atau JSON Lines) menjadi pernyataan '
        'xAPI.\n'
        '\n'
        'Setiap pernyataan divalidasi terhadap skema pernyataan xAPI. Setiap baris yang salah dilaporkan\n'
        'dengan nomor baris, kolom dan alasannya, dan baris yang baik ditulis; keluar 0 bila setiap '
        'baris\n'
        'terubah, 1 bila ada yang ditolak. Lihat docs/statements.md untuk kolom-kolomnya.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack statements samples/records/rujukan-terpadu.csv --module samples/rujukan-terpadu -o '
        'out.jsonl\n'
        '  modpack statements hadir.jsonl --module modul --account-homepage https://simpeg.example.go.id\n'
    ),
    # statements --module
    '2d05d9be': 'Modul yang dicatat (foldernya atau module.yaml-nya).',
    # statements --course
    '1f4808de': 'Berkas kursus: ditambahkan sebagai grouping.',
    # statements --out
    '53467ec1': 'Berkas JSON Lines yang ditulis.',
    # statements --account-homepage
    '7ddc84ba': 'Halaman utama sistem yang menerbitkan akun peserta (misalnya sistem kepegawaian).',
    # send
    'dd6a94a6': (
        'Kirim pernyataan (JSON Lines) ke LRS, masing-masing tepat sekali.\n'
        '\n'
        'Kredensial diambil dari lingkungan atau --credentials, tidak pernah dari baris perintah.\n'
        'Terputus? Jalankan perintah yang sama lagi: pengiriman dilanjutkan dari titik simpan. Keluar 0\n'
        'bila setiap pernyataan tersimpan, 1 bila LRS menolak sebagian, 2 bila pengiriman tidak dapat\n'
        'dilanjutkan.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  export MODPACK_LRS_USERNAME=... MODPACK_LRS_PASSWORD=...\n'
        '  modpack send out.jsonl --lrs https://lrs.example.go.id/data/xAPI/\n'
    ),
    # send --lrs
    'e17da225': 'Endpoint xAPI LRS, misalnya https://lrs.example.go.id/xAPI/',
    # send --credentials
    '47b78622': (
        'Berkas berisi username:password (jika tidak, MODPACK_LRS_USERNAME dan MODPACK_LRS_PASSWORD, '
        'atau MODPACK_LRS_AUTH).'
    ),
    # send --checkpoint
    'ebe28eec': 'Tempat kemajuan disimpan (bawaan: BERKAS.checkpoint).',
    # send --restart
    '34f43c03': 'Abaikan titik simpan dan kirim seluruh berkas lagi.',
    # report
    '746c1a83': (
        'JP per peserta dibandingkan target tahunan, sebagai CSV.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack report --records hadir.csv --module samples/course.yaml --lrs '
        'https://lrs.example.go.id/xAPI/ --year 2026\n'
    ),
    # report --records
    '58947a13': 'Catatan kehadiran (CSV atau JSON Lines): JP tatap muka.',
    # report --module
    'dcd5cb8f': 'Sebuah modul (ulangi untuk beberapa), atau berkas kursus.',
    # report --lrs
    '5e88d03d': 'Baca kembali JP mandiri dari LRS ini (kredensial seperti untuk send).',
    # report --year
    '213d0fc7': 'Hanya tahun kalender ini.',
    # report --target
    '9f030c92': 'JP yang wajib dipenuhi setiap peserta (bawaan: annual_target_jp kursus, atau 20).',
    # report --out
    '3e0af60f': 'Tulis CSV di sini (bawaan: cetak ke layar).',
    # progress
    'df2873de': (
        'Kemajuan satu angkatan dalam sebuah kursus, dari LRS: siapa yang belum mulai, siapa yang\n'
        'tersendat, siapa yang sudah selesai, dan JP setiap peserta, per kabupaten/kota; sebagai satu\n'
        'laporan HTML (atau tabel CSV/JSON).\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack progress --lrs https://lrs.example.go.id/xAPI/ --course samples/course.yaml \\\n'
        '      --cohort angkatan-3.csv --since 2026-03-01 --out laporan.html\n'
        '  modpack progress --course samples/course.yaml --cohort angkatan-3.csv --statements '
        'pernyataan.jsonl \\\n'
        '      --moodle-report rujukan-terpadu=laporan-moodle.txt --format csv --out tabel\n'
    ),
    # progress --course
    '12d610af': 'Berkas kursus (course.yaml): modul, pelajaran dan JP-nya.',
    # progress --cohort
    '5fc7c5df': (
        'CSV angkatan: email atau akun, nama, kabupaten/kota, provinsi, peran, tanggal mulai '
        '(start_date).'
    ),
    # progress --lrs
    'c9d949f9': 'Baca pernyataan dari LRS ini (kredensial seperti untuk send).',
    # progress --statements
    '0c93fa92': 'Pernyataan dalam berkas JSON Lines (ulangi untuk beberapa).',
    # progress --moodle-report
    'e5b383e1': 'Laporan dasar SCORM Moodle (unduhan teks atau CSV) untuk satu modul kursus (ulangi).',
    # progress --since
    '9068a284': 'Hanya pernyataan yang tersimpan sejak tanggal (YYYY-MM-DD) atau waktu ini.',
    # progress --as-of
    '638e2557': 'Laporkan per waktu ini (ISO 8601; bawaan: sekarang).',
    # progress --start
    'c1aee955': 'Tanggal mulai angkatan, untuk baris berkas angkatan yang tidak mencantumkannya.',
    # progress --days
    '2e31c162': 'Lama diklat, dalam hari.',
    # progress --not-started-after
    'd87cec0a': 'Tindak lanjuti peserta yang belum mulai sekian hari setelah angkatannya dimulai.',
    # progress --inactive-after
    'c3678fb7': 'Tindak lanjuti peserta yang tidak aktif selama sekian hari.',
    # progress --timezone
    'c01eea4f': 'Tempat hari dimulai dan berakhir (Asia/Jakarta, Asia/Makassar, Asia/Jayapura).',
    # progress --district
    '6c803043': 'Hanya peserta kabupaten/kota ini (laporan untuk satu Korkab).',
    # progress --format
    '8ef8590a': (
        'html: satu berkas laporan; csv: satu folder berisi satu berkas per tabel; json: satu berkas '
        'berisi semua tabel.'
    ),
    # progress --pseudonymise
    '9eaeba5f': 'Ganti nama dan id dengan kode tetap (kunci: MODPACK_PSEUDONYM_KEY atau --pseudonym-key).',
    # progress --pseudonym-key
    '56c5ee78': (
        'Berkas berisi kunci rahasia pembentuk kode (simpan baik-baik: kunci yang sama memberi kode yang '
        'sama).'
    ),
    # progress --out
    '1f0ec239': 'Tempat laporan ditulis.',
    # preview
    '489abb10': (
        'Coba sebuah modul (dibangun saat itu juga) atau paket cmi5 atau SCORM di LMS lokal kecil.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack preview samples/kewirausahaan-sosial\n'
        '  modpack preview samples/rujukan-terpadu --format scorm12\n'
        '  modpack preview dist/rujukan-terpadu-1.2.0-cmi5.zip --lrs http://127.0.0.1:8080/xAPI/\n'
        '  modpack preview modul-baru --watch          # bangun ulang dan muat ulang setiap disimpan\n'
    ),
    # preview --port
    '480cca88': 'Port di 127.0.0.1 (0: port bebas mana pun).',
    # preview --lrs
    'f2e8c33e': 'Teruskan pernyataan ke LRS ini (kredensial seperti untuk send); jika tidak, simpan dalam berkas.',
    # preview --store
    '61e4b3d6': 'Tempat pernyataan dan hasil bangun disimpan.',
    # preview --format
    '00ab6b8d': 'Cara modul dibangun untuk pratinjau (zip disajikan apa adanya).',
    # preview --watch
    '837275c1': 'Bangun ulang modul bila salah satu berkasnya disimpan; halaman yang terbuka dimuat ulang.',
    # import
    'b9afc5e2': (
        'Ubah modul Word (.docx) menjadi folder modul yang langsung sah dan dapat dibangun.\n'
        '\n'
        'Pelajaran dari Heading 1 (atau "BAB I" yang diketik tebal), halaman dari Heading 2, tujuan dari\n'
        '"Tujuan Pembelajaran"/"Indikator", soal dari "Latihan"/"Evaluasi" dengan kuncinya ("Kunci\n'
        'Jawaban", atau pilihan yang ditebalkan), JP dari "Alokasi Waktu". Yang tidak dikenali tetap\n'
        'menjadi teks halaman, dengan catatan yang menyebut letaknya. Keluar 0 bila terimpor, 2 bila\n'
        'berkas tidak dapat diimpor (tidak ada yang ditulis). Lihat docs/import.md.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack import MODUL.docx --out modul-pkh\n'
        '  modpack import MODUL.docx --out modul-pkh --id pendampingan-pkh --split-at 3\n'
    ),
    # import --out
    '3002ab4b': 'Folder modul baru (belum ada, atau kosong).',
    # import --id
    '9d307a40': 'Id modul (slug); bawaan: dari judul.',
    # import --language
    '15eb72cc': 'Bahasa dokumen (tag BCP 47).',
    # import --lessons-at
    '665c7fa9': (
        "Tingkat judul pelajaran: 1 (Heading 1 atau 'BAB I'), 2 bila Heading 1 hanya mengelompokkannya, "
        '3 bila Heading 1 dan 2 yang mengelompokkan.'
    ),
    # import --split-at
    'cfdbf050': 'Pecah juga halaman yang panjang pada tingkat judul ini (misalnya 3 untuk Heading 3).',
    # import --iri-base
    '3d7e6d8c': 'Dasar id aktivitas xAPI/cmi5, misalnya https://pelatihan.example.go.id/xapi/',
    # init
    '0d05f374': (
        'Buat modul awal di DIRECTORY, berbahasa Indonesia, sah sejak dibuat.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack init modul-baru && modpack validate modul-baru\n'
    ),
    # init --id
    '77b26a2b': 'Id modul (slug); bawaan: dari nama folder.',
    # server
    '1ae8f316': (
        'Server tetap yang menjalankan `build` dan `check` tanpa waktu mulai.\n'
        '\n'
        'Selama berjalan, `modpack build` dan `modpack check` dijalankan olehnya: keluaran, berkas dan\n'
        'kode keluar yang sama, masing-masing seperempat detik lebih cepat (Python, impor dan validator\n'
        'sudah siap). Perintah lain, dan setiap perintah bila tidak ada server, berjalan di prosesnya\n'
        'sendiri. Server hanya melayani Anda dan hanya versi modpack ini, dan berhenti setelah --idle\n'
        'detik tanpa perintah. MODPACK_SERVER=off membuat perintah berjalan di prosesnya sendiri meski\n'
        'ada server.\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack server start && modpack build modul-baru\n'
        '  modpack server status\n'
        '  modpack server stop\n'
    ),
    # server start
    '21e0950e': 'Mulai server (bila belum ada untuk versi ini) dan tunggu sampai ia menjawab.',
    # server start --idle
    'f7880a33': 'Detik tanpa perintah sebelum server berhenti.',
    # server stop
    'd3b540b9': 'Hentikan server; perintah yang sedang dijalankannya selesai lebih dulu.',
    # server stop --all
    'a8c39f88': 'Juga server versi modpack lain.',
    # server status
    '217c3b5a': 'Apakah ada server untuk versi ini: keluar 0 bila ada, 1 bila tidak.',
    # schema
    '8280e6fd': (
        'Cetak JSON Schema berkas definisi modul (atau kursus).\n'
        '\n'
        '\x08\n'
        'Contoh:\n'
        '  modpack schema > module.schema.json        # arahkan dukungan YAML editor Anda ke sini\n'
        '  modpack schema --kind course > course.schema.json\n'
        '  modpack schema --format markdown > reference.md\n'
    ),
    # schema --format
    '1840ee7c': 'markdown: rujukan kolom-isian kedua format, untuk dibaca orang.',
}
