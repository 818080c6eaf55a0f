"""Attachments are recognised by content: images and PDF only, 10 MB at most."""

import pytest

from tracking.attachments import (
    MAX_BYTES,
    AttachmentRejected,
    AttachmentStore,
    clean_filename,
    sniff,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        (WEBP, "image/webp"),
        (PDF, "application/pdf"),
    ],
)
def test_accepted_types_are_recognised_by_their_bytes(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(
    "data",
    [EXE, b"<svg onload=alert(1)>", b"<html>", b"PK\x03\x04zip", b"RIFF\x00\x00\x00\x00WAVE"],
)
def test_other_content_is_not_recognised(data):
    assert sniff(data) is None


async def test_exe_renamed_to_png_is_rejected_and_nothing_stays_on_disk(tmp_path):
    store = AttachmentStore(tmp_path)
    with pytest.raises(AttachmentRejected) as info:
        await store.save_bytes("photo.png", EXE)
    assert info.value.code == "wrong_type"
    assert list(tmp_path.iterdir()) == []


async def test_pdf_named_exe_is_stored_as_pdf_under_a_random_name(tmp_path):
    store = AttachmentStore(tmp_path)
    stored = await store.save_bytes("../../invoice.exe", PDF)
    assert stored.content_type == "application/pdf"
    assert stored.filename == "invoice.exe"
    assert [p.name for p in tmp_path.iterdir()] == [stored.storage_name]
    assert (tmp_path / stored.storage_name).read_bytes() == PDF
    assert (tmp_path / stored.storage_name).stat().st_mode & 0o777 == 0o600


async def test_more_than_10_mb_is_rejected(tmp_path):
    store = AttachmentStore(tmp_path)
    assert (
        await store.save_bytes("ok.png", PNG + b"\x00" * (MAX_BYTES - len(PNG)))
    ).size == MAX_BYTES
    with pytest.raises(AttachmentRejected) as info:
        await store.save_bytes("big.png", PNG + b"\x00" * (MAX_BYTES - len(PNG) + 1))
    assert info.value.code == "too_large"
    assert len(list(tmp_path.iterdir())) == 1


async def test_empty_file_is_rejected(tmp_path):
    with pytest.raises(AttachmentRejected) as info:
        await AttachmentStore(tmp_path).save_bytes("empty.pdf", b"")
    assert info.value.code == "empty"


def test_display_names_lose_paths_and_control_characters():
    assert clean_filename("C:\\Users\\x\\bild\u202e.png") == "bild.png"
    assert clean_filename("a\x00b\nc.pdf") == "abc.pdf"
    assert clean_filename("") == "attachment"
