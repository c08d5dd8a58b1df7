"""Chunking: sentence boundaries, size bounds, overlap, offsets and pages."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings, strategies as st

from qa.ingest.chunking import chunk_document, pack_sentences, split_sentences
from qa.ingest.documents import Document, load_document
from qa.ingest.normalize import assemble_pages

from conftest import SAMPLE_PDF


def _page_relative_text(document, chunk):
    return "".join(document.page_text(page) for page in range(chunk.page, document.page_count + 1))


def test_sentences_split_on_japanese_and_latin_terminators():
    text = "月面に着陸します。次はいつ？ Really! It works. Version 3.5 is out\n見出し"
    pieces = [text[start:end] for start, end in split_sentences(text)]
    assert pieces == ["月面に着陸します。", "次はいつ？", "Really!", "It works.", "Version 3.5 is out", "見出し"]


def test_closing_brackets_stay_with_their_sentence():
    text = "「水は貴重な資源です。」\n次の文です。"
    assert [text[a:b] for a, b in split_sentences(text)] == ["「水は貴重な資源です。」", "次の文です。"]


def test_a_quotation_the_sentence_goes_on_after_ends_no_sentence():
    """「環境革新で、地球の未来をきりひらく。」のもと、… was split after the quotation, so
    the rest, the company's business, began with のもと and lost its subject."""
    text = "当社は理念「未来をきりひらく。」のもと、空調事業を展開しています。社長は「挑戦です。」と述べた。「以上です。」"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "当社は理念「未来をきりひらく。」のもと、空調事業を展開しています。", "社長は「挑戦です。」と述べた。", "「以上です。」"]


def test_sample_chunks_offsets_point_at_their_text_and_pages_are_right():
    document = load_document(SAMPLE_PDF)
    chunks, _ = chunk_document(document, size=300, overlap=1)
    assert len(chunks) > 5
    for chunk in chunks:
        assert _page_relative_text(document, chunk)[chunk.start:chunk.end] == chunk.text
        assert len(chunk.text) <= 300
        assert chunk.pages[0] == chunk.page and chunk.doc_date == "2025-05-09"
        assert chunk.source == SAMPLE_PDF.name
    by_text = {chunk.text: chunk for chunk in chunks}
    last = [chunk for chunk in chunks if "アルテミス計画" in chunk.text][0]
    assert 5 in last.pages
    assert len(by_text) == len(chunks)
    assert len({chunk.chunk_id for chunk in chunks}) == len(chunks)
    # Stable ids: the same file and parameters give the same ids.
    assert [c.chunk_id for c in chunk_document(document, 300, 1)[0]] == [c.chunk_id for c in chunks]


def test_overlap_is_whole_sentences():
    document = load_document(SAMPLE_PDF)
    chunks, _ = chunk_document(document, size=300, overlap=1)
    for previous, following in zip(chunks, chunks[1:]):
        first_sentence = following.text[: split_sentences(following.text)[0][1]]
        assert first_sentence in previous.text


def test_overlap_zero_means_disjoint_chunks():
    sentences = [(0, 10), (11, 20), (21, 30), (31, 40)]
    assert pack_sentences(sentences, size=20, overlap=0) == [(0, 1), (2, 3)]
    assert pack_sentences(sentences, size=20, overlap=1) == [(0, 1), (1, 2), (2, 3)]


def test_an_over_long_sentence_is_cut_within_the_bound():
    text = "、".join(["月面探査車に搭載する技術"] * 60) + "。"
    document = Document(path="x.txt", source="x.txt", title="t", date=None, sha256="0" * 64, text=text,
                        page_offsets=(0,), paged=False)
    chunks, _ = chunk_document(document, size=100, overlap=1)
    assert all(len(chunk.text) <= 100 for chunk in chunks)
    assert "".join(chunk.text for chunk in chunks) .replace("、", "") == text.replace("、", "")
    assert all(chunk.page is None and chunk.pages == () for chunk in chunks)


_ALPHABET = st.sampled_from(list("月面着陸の予定です計画水素ランダー") + list("abc XYZ 123") +
                            ["。", "！", "？", ".", "!", "?", "\n", " ", "、", "　", "１", "ｱ", "\x00"])


@settings(max_examples=200, deadline=None)
@given(pages=st.lists(st.text(_ALPHABET, max_size=400), min_size=1, max_size=4),
       size=st.integers(min_value=50, max_value=300), overlap=st.integers(min_value=0, max_value=3))
def test_property_offsets_bounds_and_coverage(pages, size, overlap):
    text, offsets = assemble_pages(pages)
    document = Document(path="p.txt", source="p.txt", title="t", date=None, sha256="f" * 64, text=text,
                        page_offsets=tuple(offsets), paged=True)
    chunks, sentences = chunk_document(document, size=size, overlap=overlap)
    covered = [False] * len(text)
    for chunk in chunks:
        assert 0 < len(chunk.text) <= size
        assert _page_relative_text(document, chunk)[chunk.start:chunk.end] == chunk.text
        for span, sentence_id in zip(chunk.sentences, chunk.sentence_ids):
            assert chunk.text[span[0]:span[1]] == sentences[sentence_id]
        absolute = offsets[chunk.page - 1] + chunk.start
        for position in range(absolute, absolute + len(chunk.text)):
            covered[position] = True
    # No letter is lost between chunks: only white space, and digits or punctuation
    # that stand without a letter (never a sentence by themselves), fall between them.
    assert all(covered[position] or not text[position].isalpha() for position in range(len(text)))
    assert text == unicodedata.normalize("NFKC", text)


def test_a_tables_column_gap_stays_a_space_between_japanese_cells():
    from qa.ingest.normalize import normalize_line
    assert normalize_line("代表取締役会長　　　霞 康介　　 代表取締役社長") == "代表取締役会長 霞康介 代表取締役社長"
    assert normalize_line("項目　　　　修正前　　　修正後") == "項目 修正前 修正後"
    assert normalize_line("代表者　　：代表取締役社長 霞 康介") == "代表者:代表取締役社長霞康介"
    assert normalize_line("2025 年 5 月") == "2025年5月"  # one space is layout
    assert normalize_line("　　当社は、本日") == "当社は、本日"  # an indent is no gap
    # a gap beside punctuation is layout, as one space there always was (maint-guide.ja.pdf)
    assert normalize_line("ソースコード管理システム(VCS)  を使っている") == "ソースコード管理システム(VCS)を使っている"
