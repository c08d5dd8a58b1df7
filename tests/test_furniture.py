"""Page furniture and the text around it: running heads with roman numerals glued on,
heads that carry their page's number, a table of contents' page numbers set apart by
a wide gap, leaders in every form, footnote markers in superscript code points, word
spaces between English and Japanese, version lines never a title; and content that
looks like furniture, kept. The manuals and companies here are invented."""

from __future__ import annotations

from qa.ingest.cleaning import drop_superscript_markers, strip_leader
from qa.ingest.documents import load_document
from qa.ingest.furniture import furniture_key, roman_value
from qa.ingest.normalize import assemble_pages, normalize_line
from qa.ingest.titles import is_version_line, largest_font_line

from pdf_fixtures import Run, layout_pdf, line, text_lines, write_pdf

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii"]


BODIES = ["月面探査機の運用手順を順に説明します。", "打ち上げの前に燃料を確認します。", "着陸地点は南極の近くです。",
          "通信は地球局と毎時行います。", "画像は圧縮して送ります。", "電源は太陽電池から得ます。",
          "夜間は休眠状態になります。", "試験は来年の春に終わります。", "本書の最後の章です。"]


def _body(number: int) -> str:
    return BODIES[number - 1]


def test_running_heads_with_a_roman_numeral_glued_on_are_removed():
    pages = [f"ACME 宇宙ガイド {ROMAN[number]}\n{_body(number)}" for number in range(1, 6)]
    pages += [f"ACME 宇宙ガイド {number} / 40\n{_body(number)}" for number in range(6, 9)]
    text, offsets = assemble_pages(pages)
    assert "宇宙ガイド" not in text and len(offsets) == 8
    assert all(_body(number) in text for number in range(1, 9))
    assert furniture_key("ACME宇宙ガイドiii") == furniture_key("ACME宇宙ガイドxiv") == "ACME宇宙ガイド#"
    assert furniture_key("Vitamin C") == "Vitamin C" and roman_value("xiv") == 14


def test_a_running_head_with_its_folio_goes_even_when_its_chapter_is_short():
    heads = ["1 Introduction", "1 Introduction", "2 Setup", "2 Setup", "3 Usage", "3 Usage"]
    subjects = ["lander", "rover", "orbiter", "antenna", "battery", "camera", "radiator", "wheel"]
    pages = [f"{head} {number}\nThe {subjects[number - 1]} is described in some detail on this page."
             for number, head in enumerate(heads, start=1)]
    pages += [f"The {subjects[number - 1]} is described on this page.\nFile b: probe.dtx {number}"
              for number in (7, 8)]
    pages.append("9 units were tested before the launch.\nThe last page of this guide ends here.")
    text, _ = assemble_pages(pages)
    for furniture in ("Introduction", "Setup", "Usage", "File b"):
        assert furniture not in text
    assert text.count("described") == 8
    assert "9 units were tested" in text  # a number that happens to be the page's is kept without a repeated head


def _toc_page() -> list:
    entries = [("3.1 打ち上げの準備", "9"), ("3.2 月周回軌道", "11"), ("3.3 着陸の手順", "14")]
    runs = [Run("目次", 56, 790, 14), Run("第3章 探査機の運用", 56, 760), Run("9", 530, 760, 10, "H")]
    for row, (title, page) in enumerate(entries, start=1):
        runs += [Run(title, 72, 760 - 16 * row), Run(" ." * 40, 260, 760 - 16 * row, 10, "H"),
                 Run(page, 530, 760 - 16 * row, 10, "H")]
    runs += [Run("第4章 通信", 56, 680), Run("17", 525, 680, 10, "H")]
    return runs


def test_a_table_of_contents_page_number_set_apart_by_a_wide_gap_is_dropped(tmp_path):
    table = line([("H", "Tokyo")], 56, 760) + [Run("12", 400, 760, 10, "H")]
    table += line([("H", "Osaka")], 56, 744) + [Run("34", 400, 744, 10, "H")]
    body = line([("J", "第3章では探査機の運用を説明します。")], 56, 700)
    document = load_document(layout_pdf(tmp_path / "guide.pdf", [_toc_page(), table + body]))
    toc, other = document.page_text(1), document.page_text(2)
    assert "第3章探査機の運用\n" in toc + "\n" and "運用9" not in toc and "通信17" not in toc
    assert "3.1打ち上げの準備" in toc and ". ." not in toc
    assert "Tokyo 12" in other and "Osaka 34" in other  # a table's numbers are content


def test_leaders_in_every_form_are_removed_with_their_page_references():
    assert strip_leader("< . . . . . . . . . . . . . . . . 35, 146") == "<"
    assert strip_leader("enumerate環境. . . . . . . . . . . . 93, 281") == "enumerate環境"
    assert strip_leader("\\@Alph . . . . . . . . . . . . . . d1321,") == "\\@Alph"
    assert strip_leader("索引 . . . . . . . . 30–32") == "索引"
    assert strip_leader("1.2 Installation .......... 17") == "1.2 Installation"
    assert strip_leader("The launch is planned.") == "The launch is planned."
    index = "\n".join(["索引", "Symbols", "< . . . . . . . . . . . . . . . . . . . . . . 35, 146",
                       "> . . . . . . . . . . . . . . . . . . . . . . 35, 146", "A",
                       "abstract環境 . . . . . . . . . . . . . . . . . . . . 87",
                       "alignat環境 . . . . . . . . . . . . . . . . . . . . . 184, 190"])
    body = "本文では、索引に挙げた環境の使い方を一つずつ例とともに説明していきます。"
    text, _ = assemble_pages([index, "\n".join([body] * 12)])
    assert ". . ." not in text and "abstract環境\nalignat環境" in text and "146" not in text


def test_superscript_footnote_markers_are_dropped_and_exponents_kept():
    page = ["このターゲットはかわりにこのコマンドを使用するという意味です。2⁵",
            "これを有効とするため、2⁶override_probe_buildターゲットを作ります。",
            "2⁵以前は該当する行を調整していました。",
            "2⁶引数なしのprobe_buildは最初のターゲットを実行します。"]
    cleaned = drop_superscript_markers([page, ["推力は10⁶ Nです。"]])
    assert cleaned[0] == ["このターゲットはかわりにこのコマンドを使用するという意味です。",
                          "これを有効とするため、override_probe_buildターゲットを作ります。",
                          "以前は該当する行を調整していました。", "引数なしのprobe_buildは最初のターゲットを実行します。"]
    assert cleaned[1] == ["推力は10^6 Nです。"]  # no footnote line starts with ⁶: an exponent
    text, _ = assemble_pages(["\n".join(page)])
    assert "26" not in text and "25" not in text


def test_raised_digits_glued_to_the_next_word_are_a_footnote_marker(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    start = 72 + stringWidth("Set the target,", "Helvetica", 11)
    after = start + stringWidth("26", "Helvetica", 6)
    content = (b"BT /F1 11 Tf 72 700 Td (Set the target,) Tj ET BT /F1 6 Tf %.2f 705 Td (26) Tj ET "
               b"BT /F1 11 Tf %.2f 700 Td (override it now.) Tj ET" % (start, after))
    text = load_document(write_pdf(tmp_path / "marker.pdf", [content])).text
    assert "Set the target,override it now." in text.replace(", ", ",") and "26" not in text


def test_a_word_space_between_english_and_a_japanese_word_is_kept():
    assert normalize_line("See 項1.1.4 for the details of the shell prompt.") == \
        "See 項1.1.4 for the details of the shell prompt."
    assert normalize_line("この 新しい probe コマンド は 便利 です。") == "この新しいprobeコマンドは便利です。"
    assert normalize_line("2025 年 5 月 9 日") == "2025年5月9日"
    wide = "The advanced configuration of the probe console is explained in detail, see"
    text, _ = assemble_pages([f"{wide}\n項9.2 for the settings of the remote console and the shell.\n"
                              f"{'x' * 40}\nend."])
    assert "see 項9.2 for the settings" in text


def test_a_version_line_is_never_the_title():
    lines = [("probe：索引整形ツール", 15.92), ("version 3.6 [19-Sep-2021]", 17.22),
             ("ACME 開発コミュニティ", 11.05)] + [("本文は小さな文字で組まれています。", 8.29)] * 5
    assert largest_font_line([(normalize_line(text), size) for text, size in lines]) == "probe:索引整形ツール"
    for version in ("version 3.6 [19-Sep-2021]", "v1.2a", "Release 12.18", "第2.100版", "Version 1.0 (2024年5月1日)"):
        assert is_version_line(version), version
    for title in ("1.2 Installation", "Version 2 of the protocol", "ACME Lander Guide"):
        assert not is_version_line(title), title


def test_content_at_page_edges_that_looks_like_furniture_is_kept(tmp_path):
    pages = [text_lines([f"{number} units of the rover were tested in June.", "The test passed.",
                         f"Chapter {number} ends here."]) for number in range(1, 5)]
    text = load_document(write_pdf(tmp_path / "edges.pdf", pages)).text
    assert all(f"{number} units of the rover" in text and f"Chapter {number} ends here." in text
               for number in range(1, 5))


def test_a_foot_with_its_folio_goes_where_most_pages_have_one_but_footnotes_and_headings_stay():
    sections = ["Sending mail", "Mirrors", "Keys", "Archives", "Queues", "Mentors", "Votes", "Leaving", "Ports",
                "Bugs", "Tags", "Teams", "Builds", "Uploads", "Sponsors", "Reviews", "Releases", "Freezes",
                "Backports", "Security"]
    pages = []
    for number in range(1, 21):
        foot = f"4.{number}. {sections[number - 1]} {number + 10}" if number % 2 else \
            f"{number + 10} Chapter 4. Resources for members"
        pages.append(f"The {sections[number - 1].lower()} are described on this page of the guide.\n{foot}")
    text, _ = assemble_pages(pages)
    assert "4.3. Keys" not in text and "4.19. Backports" not in text and "Resources for members" not in text
    assert text.count("described") == 20
    # Footnotes numbered one a page have an offset to the page number too: they are sentences.
    notes = [f"本文の{BODIES[number - 1]}\n{number + 5} 訳注:{BODIES[9 - number]}\n{number}" for number in range(1, 10)]
    text, _ = assemble_pages(notes)
    assert all(f"{number + 5}訳注:{BODIES[9 - number]}" in text for number in range(1, 10))
    # In a short document, section n may start page n: its heading stays.
    short = [f"{number} {title}\n{BODIES[number - 1]}\n{number}" for number, title in
             enumerate(["Loading", "Options", "Fonts", "Switching", "Bulk mode"], start=1)]
    text, _ = assemble_pages(short)
    assert all(title in text for title in ("Loading", "Options", "Fonts", "Switching", "Bulk mode"))


def test_a_sentence_runs_on_over_a_page_break_once_the_furniture_is_gone():
    long = "The lander carries a rover and a water electrolysis unit that the team will test on the"
    pages = [f"ACME Guide 1\n{long}\n{long} surface for\n1", f"ACME Guide 2\nseveral weeks after landing.\n{long}.\n2",
             f"ACME Guide 3\nThe end.\n{long}.\n3"]
    text, offsets = assemble_pages(pages)
    assert "surface for several weeks after landing." in text and "ACME" not in text
    assert text[offsets[1]:].startswith("several weeks")


def test_a_soft_hyphen_pdfium_keeps_ends_its_line_and_the_foot_after_it_is_a_line_of_its_own():
    from qa.ingest.pdf_text import _Glyph, _line_text, _split_lines

    def glyphs(text, left, baseline, size=10.0):
        return [_Glyph(character, left + 5 * at, left + 5 * at + 4.5, baseline, size, False)
                for at, character in enumerate(text)]

    line = glyphs("is occa\x02", 300, 82) + glyphs("16", 290, 65, 10.8)  # no break: the foot ran on
    lines = [_line_text(part)[0] for part in _split_lines(line)]
    assert lines == ["is occa-", "16"]
    text, _ = assemble_pages(["x" * 20 + "\n" + "The doc is " + "long " * 10 + "and is occa-",
                              "sionally used for talks."])
    assert "occasionally used" in text
