"""The index's library: add, remove, replace, duplicates, rejected files, the store."""

from __future__ import annotations

import json
import shutil

import pytest

import qa
from qa import storage
from qa.errors import LibraryError

from conftest import SAMPLE_PDF, copy_index, make_text_pdf, shows_landing

RELEASE = "2025年7月1日\nテスト宇宙株式会社\nテスト宇宙株式会社の月面基地の名前はルナベースです。\n"
RELEASE_V2 = "2025年8月1日\nテスト宇宙株式会社\nテスト宇宙株式会社の月面基地の名前はムーンベースに変わりました。\n"


def _stored(index_dir) -> set[str]:
    folder = index_dir / storage.DOCUMENTS_FOLDER
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def test_documents_are_records_of_the_files_kept_in_the_index(built_index_dir):
    index = qa.load_index(built_index_dir)
    [document] = index.documents()
    assert isinstance(document, qa.DocumentInfo)
    assert document.name == SAMPLE_PDF.name and document.id == storage.sha256_of(SAMPLE_PDF)
    assert document.pages == 5 and document.date == "2025-05-09" and document.language == "ja"
    assert document.size == SAMPLE_PDF.stat().st_size and document.chunks == len(index) and document.added
    assert document.path == f"documents/{document.id}.pdf"
    assert (built_index_dir / document.path).read_bytes() == SAMPLE_PDF.read_bytes()
    assert all(hit.path == document.path and hit.source == SAMPLE_PDF.name for hit in index.search("ispace", k=3))


def test_add_embeds_only_the_new_document_and_reports_each_file(built_index_dir, tmp_path, monkeypatch):
    index_dir = copy_index(built_index_dir, tmp_path)
    index = qa.load_index(index_dir)
    before_vectors = index.sentence_matrix.copy()
    release = tmp_path / "new-release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02binary")
    copy = tmp_path / "copy-of-sample.pdf"
    shutil.copy(SAMPLE_PDF, copy)
    embedded = []
    original = index.embedder.embed_passages

    def counting(texts, **kwargs):
        embedded.extend(texts)
        return original(texts, **kwargs)

    monkeypatch.setattr(index.embedder, "embed_passages", counting)
    report = index.add([release, junk, copy])
    outcomes = {outcome.name: (outcome.outcome, outcome.reason) for outcome in report.outcomes}
    assert outcomes["new-release.txt"] == ("added", "")
    assert outcomes["junk.txt"][0] == "rejected" and "binary" in outcomes["junk.txt"][1]
    assert outcomes["copy-of-sample.pdf"] == ("duplicate", f"already indexed as {SAMPLE_PDF.name}")
    assert sorted(embedded) == sorted(["2025年7月1日", "テスト宇宙株式会社",
                                       "テスト宇宙株式会社の月面基地の名前はルナベースです。"])
    assert report.embedded_sentences == 3 and report.reused_sentences == len(before_vectors)
    assert (index.sentence_matrix[:len(before_vectors)] == before_vectors).all()
    assert [document.name for document in index.documents()] == [SAMPLE_PDF.name, "new-release.txt"]
    # A rejected file and a duplicate are kept nowhere; the index folder holds each added file once.
    assert _stored(index_dir) == {f"{document.id}{document.path[-4:]}" for document in index.documents()}
    assert "ルナベース" in index.answer("月面基地の名前は何ですか？").text
    reloaded = qa.load_index(index_dir)
    assert [document.name for document in reloaded.documents()] == ["ispace-2025-05-09-thermal-mining.pdf",
                                                                    "new-release.txt"]
    assert "ルナベース" in reloaded.answer("月面基地の名前は何ですか？").text
    assert shows_landing(reloaded.answer("When does Mission 2 land?").text)


def test_same_name_other_content_is_a_conflict_until_replace(built_index_dir, tmp_path):
    index_dir = copy_index(built_index_dir, tmp_path)
    index = qa.load_index(index_dir)
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    (tmp_path / "v1" / "base.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "v2" / "base.txt").write_text(RELEASE_V2, encoding="utf-8")
    index.add([tmp_path / "v1" / "base.txt"])
    first = {document.name: document for document in index.documents()}["base.txt"]
    [conflict] = index.add([tmp_path / "v2" / "base.txt"]).outcomes
    assert conflict.outcome == "conflict" and "replace" in conflict.reason
    assert "ルナベース" in index.answer("月面基地の名前は何ですか？").text
    [same] = index.add([tmp_path / "v1" / "base.txt"]).outcomes
    assert same.outcome == "duplicate"
    [replaced] = index.add([tmp_path / "v2" / "base.txt"], replace=True).outcomes
    assert replaced.outcome == "replaced"
    documents = {document.name: document for document in index.documents()}
    assert len(documents) == 2 and documents["base.txt"].id != first.id
    assert documents["base.txt"].date == "2025-08-01"
    assert "ムーンベース" in index.answer("月面基地の名前は何ですか？").text
    assert not any("ルナベース" in chunk.text for chunk in index.chunks)


def test_remove_embeds_nothing_and_cleans_the_store(built_index_dir, tmp_path, monkeypatch):
    index_dir = copy_index(built_index_dir, tmp_path)
    index = qa.load_index(index_dir)
    for name, text in (("one.txt", RELEASE), ("two.txt", RELEASE_V2)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    index.add([tmp_path / "one.txt", tmp_path / "two.txt"])
    two = {document.name: document for document in index.documents()}["two.txt"]

    def refuse(*args, **kwargs):
        raise AssertionError("remove must not embed")

    monkeypatch.setattr(index.embedder, "embed_passages", refuse)
    report = index.remove(["one.txt", two.id[:12], "missing.pdf"])
    monkeypatch.undo()
    assert [(outcome.name, outcome.outcome) for outcome in report.outcomes] == [
        ("one.txt", "removed"), ("two.txt", "removed"), ("missing.pdf", "not found")]
    assert [document.name for document in index.documents()] == [SAMPLE_PDF.name]
    assert shows_landing(index.answer("When does Mission 2 land?").text)
    assert not any(chunk.path.endswith(".txt") for chunk in index.chunks)
    assert index.sentence_matrix.shape[0] == max(chunk.sentence_ids.stop for chunk in index.chunks)
    # Files stay while a kept build (the current one or the one before) lists them.
    index.add([tmp_path / "one.txt"])
    one = {document.name: document for document in index.documents()}["one.txt"]
    index.remove(["one.txt"])
    assert _stored(index_dir) == {f"{index.documents()[0].id}.pdf", f"{one.id}.txt"}
    assert f"{two.id}.txt" not in _stored(index_dir)
    with pytest.raises(LibraryError, match="at least one document"):
        index.remove([SAMPLE_PDF.name])


def test_add_to_a_missing_index_makes_one_and_folders_keep_relative_names(tmp_path):
    folder = tmp_path / "releases" / "2025"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(RELEASE, encoding="utf-8")
    make_text_pdf(folder / "b.pdf", ["2025年9月1日\n月面農園株式会社は野菜の名前をルナトマトに決定しました。"])
    index = qa.library.add_documents(tmp_path / "index", [tmp_path / "releases"], settings=qa.Settings())
    assert sorted(document.name for document in index.documents()) == ["2025/a.txt", "2025/b.pdf"]
    assert {outcome.outcome for outcome in index.report.outcomes} == {"added"}
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(qa.errors.NothingIndexedError):
        qa.library.add_documents(tmp_path / "other", [tmp_path / "empty.txt"], settings=qa.Settings())


def test_a_missing_path_given_to_add_is_an_error_and_nothing_is_added(built_index_dir, tmp_path):
    index_dir = copy_index(built_index_dir, tmp_path)
    index = qa.load_index(index_dir)
    marker = storage.current_build_marker(index_dir)
    release = tmp_path / "real.txt"
    release.write_text(RELEASE, encoding="utf-8")
    with pytest.raises(qa.errors.InputNotFoundError) as raised:
        index.add([release, tmp_path / "new-release.txt"])
    assert raised.value.paths == [str(tmp_path / "new-release.txt")]
    assert "no such file or folder" in str(raised.value) and "new-release.txt" in str(raised.value)
    assert storage.current_build_marker(index_dir) == marker
    assert [document.name for document in qa.load_index(index_dir).documents()] == [SAMPLE_PDF.name]
    with pytest.raises(qa.errors.InputNotFoundError):
        qa.library.add_documents(tmp_path / "other", str(tmp_path / "nothing.txt"), settings=qa.Settings())
    assert not (tmp_path / "other").exists()


def test_build_keeps_when_documents_were_added_and_drops_what_is_not_given(built_index_dir, tmp_path):
    index_dir = copy_index(built_index_dir, tmp_path)
    added = qa.load_index(index_dir).documents()[0].added
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_PDF, corpus)
    (corpus / "extra.txt").write_text(RELEASE, encoding="utf-8")
    index = qa.build_index([corpus], index_dir, settings=qa.Settings())
    documents = {document.name: document for document in index.documents()}
    assert documents[SAMPLE_PDF.name].added == added and set(documents) == {SAMPLE_PDF.name, "extra.txt"}
    (corpus / "extra.txt").unlink()
    index = qa.build_index([corpus], index_dir, settings=qa.Settings())
    assert [document.name for document in index.documents()] == [SAMPLE_PDF.name]
    qa.build_index([corpus], index_dir, settings=qa.Settings())
    assert _stored(index_dir) == {f"{documents[SAMPLE_PDF.name].id}.pdf"}


def test_a_build_never_drops_documents_added_one_at_a_time_unless_told_to(built_index_dir, tmp_path):
    """An upload's only copy is the index's: a build from a folder that lacks it
    refuses, naming it, and leaves the index as it was; replace=True drops it."""
    from qa.chat import ChatApp

    index_dir = copy_index(built_index_dir, tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLE_PDF, corpus)
    upload = tmp_path / "upload" / "uploaded.txt"
    upload.parent.mkdir()
    upload.write_text(RELEASE, encoding="utf-8")
    chat = ChatApp(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=corpus)
    assert [outcome.outcome for outcome in chat.add_files([upload])] == ["added"]
    upload.unlink()  # as the app's temporary upload goes
    added = tmp_path / "added.txt"
    added.write_text(RELEASE_V2, encoding="utf-8")
    qa.load_index(index_dir).add([added])  # as `qa add` does
    documents = {document.name: document for document in qa.load_index(index_dir).documents()}
    assert [documents[name].origin for name in (SAMPLE_PDF.name, "uploaded.txt", "added.txt")] == \
        ["build", "add", "add"]
    marker = storage.current_build_marker(index_dir)
    with pytest.raises(qa.errors.WouldLoseDocumentsError) as raised:
        qa.build_index([corpus], index_dir, settings=qa.Settings())
    assert [document.name for document in raised.value.documents] == ["uploaded.txt", "added.txt"]
    message = str(raised.value)
    assert "uploaded.txt" in message and "added.txt" in message and "--replace" in message
    assert documents["uploaded.txt"].path in message  # where its only copy is
    assert storage.current_build_marker(index_dir) == marker
    assert (index_dir / documents["uploaded.txt"].path).is_file()
    # Given the added file again (under another name, even), only the upload is missing.
    shutil.copy(added, corpus / "renamed.txt")
    with pytest.raises(qa.errors.WouldLoseDocumentsError) as raised:
        qa.build_index([corpus], index_dir, settings=qa.Settings())
    assert [document.name for document in raised.value.documents] == ["uploaded.txt"]
    # Kept: read again from the index's copy, under its name, still a document added by hand.
    index = qa.build_index([corpus], index_dir, settings=qa.Settings(), keep_added=True)
    kept = {document.name: document for document in index.documents()}
    assert sorted(kept) == [SAMPLE_PDF.name, "renamed.txt", "uploaded.txt"]
    assert (kept["uploaded.txt"].origin, kept["renamed.txt"].origin) == ("add", "build")
    assert {field: getattr(kept["uploaded.txt"], field) for field in ("id", "title", "date", "added", "path")} == \
        {field: getattr(documents["uploaded.txt"], field) for field in ("id", "title", "date", "added", "path")}
    assert "uploaded.txt" in {hit.source for hit in index.search("ルナベース", k=3)}
    with pytest.raises(ValueError):
        qa.build_index([corpus], index_dir, settings=qa.Settings(), keep_added=True, replace=True)
    index = qa.build_index([corpus], index_dir, settings=qa.Settings(), replace=True)
    assert sorted(document.name for document in index.documents()) == [SAMPLE_PDF.name, "renamed.txt"]
    assert {document.origin for document in index.documents()} == {"build"}
    (corpus / "renamed.txt").unlink()
    index = qa.build_index([corpus], index_dir, settings=qa.Settings())  # built documents go without asking
    assert [document.name for document in index.documents()] == [SAMPLE_PDF.name]
    assert not (index_dir / documents["uploaded.txt"].path).exists()  # no kept build lists it any more


def test_documents_added_from_the_command_line_survive_an_app_upload(built_index_dir, tmp_path):
    """The app adds to the index's own document set; it never rebuilds from a folder."""
    from qa.chat import ChatApp

    index_dir = copy_index(built_index_dir, tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "cli-release.txt").write_text(RELEASE, encoding="utf-8")
    qa.load_index(index_dir).add([outside / "cli-release.txt"])  # as `qa add` does
    chat = ChatApp(qa.load_index(index_dir), index_dir=index_dir, corpus_dir=tmp_path / "corpus")
    upload = tmp_path / "upload" / "uploaded.txt"
    upload.parent.mkdir()
    upload.write_text(RELEASE_V2, encoding="utf-8")
    [outcome] = chat.add_files([upload])
    assert outcome.outcome == "added"
    names = [document.name for document in qa.load_index(index_dir).documents()]
    assert names == [SAMPLE_PDF.name, "cli-release.txt", "uploaded.txt"]


def test_manifest_lists_each_document_with_its_library_fields(built_index_dir):
    manifest = json.loads((built_index_dir / "current" / "manifest.json").read_text())
    [record] = manifest["documents"]
    assert {"id", "name", "path", "sha256", "title", "date", "pages", "language", "size", "added_at",
            "chunks"} <= set(record)
