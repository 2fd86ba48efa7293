"""Banks uploaded as .zip archives: one YAML file and the images it names, nothing unsafe."""

from __future__ import annotations

import dataclasses
import io
import struct
import warnings
import zipfile

import pytest

from quizapp.banks.archive import BankArchive, read_bank_archive
from quizapp.banks.format import BankError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 24
GIF = b"GIF89a" + b"\x00" * 24
WEBP = b"RIFF\x1c\x00\x00\x00WEBPVP8 " + b"\x00" * 16

BANK = b"""\
id: road-signs
title: Road signs
questions:
  - id: stop
    text: What does this sign mean?
    choices: {A: Stop, B: Go}
    answer: A
    image: images/stop.png
  - id: exit
    text: Where is the exit?
    choices: {A: Left, B: Right}
    answer: B
    image: images/exit.jpg
"""


def make_zip(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A .zip holding ``files``; a name ending in '/' is a directory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_central_header(data: bytes, name: str, offset: int, value: bytes) -> bytes:
    """Overwrite bytes of ``name``'s central directory header, as a hostile tool could."""
    patched = bytearray(data)
    start = 0
    while (start := patched.find(b"PK\x01\x02", start)) != -1:
        length = struct.unpack_from("<H", patched, start + 28)[0]
        if patched[start + 46 : start + 46 + length] == name.encode():
            patched[start + offset : start + offset + len(value)] = value
            return bytes(patched)
        start += 4
    raise AssertionError(f"{name} not in the archive")


def read(data: bytes, **options) -> BankArchive:
    return read_bank_archive(data, "signs.zip", **options)


def problems(data: bytes, **options) -> list[str]:
    with pytest.raises(BankError) as caught:
        read(data, **options)
    return [str(problem) for problem in caught.value.problems]


def valid_files(**extra: bytes) -> dict[str, bytes]:
    return {"bank.yaml": BANK, "images/stop.png": PNG, "images/exit.jpg": JPEG, **extra}


def test_archive_with_a_bank_and_its_images_is_read():
    result = read(make_zip(valid_files()))

    assert result.bank.id == "road-signs"
    assert result.bank.question("stop").image == "images/stop.png"
    assert result.images == {"images/stop.png": PNG, "images/exit.jpg": JPEG}
    assert result.media_types == {"images/stop.png": "image/png", "images/exit.jpg": "image/jpeg"}


def test_bank_archive_is_immutable():
    result = read(make_zip(valid_files()))

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.bank = None  # type: ignore[misc]


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        (b"GIF87a" + GIF[6:], "image/gif"),
        (WEBP, "image/webp"),
    ],
)
def test_image_type_is_read_from_the_bytes_not_the_name(data, media_type):
    result = read(make_zip(valid_files(**{"images/stop.png": data})))

    assert result.media_types["images/stop.png"] == media_type


def test_directories_in_the_archive_are_allowed():
    files = {"images/": b"", "banks/": b"", **valid_files()}

    assert read(make_zip(files)).bank.id == "road-signs"


def test_unused_images_are_allowed_but_not_kept():
    result = read(make_zip(valid_files(**{"images/spare.gif": GIF})))

    assert set(result.images) == {"images/stop.png", "images/exit.jpg"}


def test_files_the_operating_system_adds_are_ignored():
    junk = {"__MACOSX/._bank.yaml": b"\x00\x05", ".DS_Store": b"\x00", "images/Thumbs.db": b"x"}

    assert read(make_zip(valid_files(**junk))).bank.id == "road-signs"


def test_stored_archives_are_read_too():
    result = read(make_zip(valid_files(), compression=zipfile.ZIP_STORED))

    assert result.images["images/stop.png"] == PNG


def test_bank_may_sit_in_a_folder_and_end_in_yml():
    files = valid_files()
    files["banks/road-signs.yml"] = files.pop("bank.yaml")

    assert read(make_zip(files)).bank.id == "road-signs"


def test_problems_in_the_yaml_name_it_inside_the_archive():
    files = valid_files()
    files["banks/road.yml"] = files.pop("bank.yaml").replace(b"answer: A", b"anwser: A", 1)

    assert problems(make_zip(files)) == [
        "signs.zip/banks/road.yml:4:5: missing required key 'answer'",
        "signs.zip/banks/road.yml:7:5: unknown key 'anwser'; did you mean 'answer'?",
    ]


def test_image_named_by_the_bank_must_be_in_the_archive():
    files = valid_files()
    del files["images/exit.jpg"]

    assert problems(make_zip(files)) == [
        "signs.zip/bank.yaml:13:12: image 'images/exit.jpg' is not in the archive"
    ]


def test_two_yaml_files_are_refused():
    files = valid_files(**{"other.yml": BANK})

    assert problems(make_zip(files)) == [
        "signs.zip:1:1: the archive must hold exactly one .yaml or .yml bank file, "
        "not bank.yaml, other.yml"
    ]


def test_archive_without_a_yaml_file_is_refused():
    assert problems(make_zip({"images/stop.png": PNG})) == [
        "signs.zip:1:1: the archive holds no .yaml or .yml bank file"
    ]


@pytest.mark.parametrize(
    "name", ["../evil.png", "/etc/evil.png", "images/../../evil.png", "C:/evil.png", "..\\evil.png"]
)
def test_paths_that_leave_the_archive_are_refused(name):
    assert problems(make_zip(valid_files(**{name: PNG}))) == [
        f"signs.zip:1:1: the archive entry '{name}' has a path that leaves the archive"
    ]


def test_symbolic_links_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in valid_files().items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo("images/link.png")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")

    assert problems(buffer.getvalue()) == [
        "signs.zip:1:1: the archive entry 'images/link.png' is a link; links are not allowed"
    ]


def test_encrypted_entries_are_refused():
    data = patch_central_header(make_zip(valid_files()), "images/stop.png", 8, b"\x01\x00")

    assert problems(data) == [
        "signs.zip:1:1: the archive entry 'images/stop.png' is encrypted; "
        "upload an archive without a password"
    ]


def test_unknown_compression_is_refused():
    data = patch_central_header(make_zip(valid_files()), "images/stop.png", 10, b"\x63\x00")

    assert problems(data) == [
        "signs.zip:1:1: the archive entry 'images/stop.png' uses a compression method that "
        "cannot be read"
    ]


def test_zip_bomb_is_refused_before_anything_is_unpacked(monkeypatch):
    zeros = b"\x00" * (10 * 1024 * 1024)
    bomb = make_zip(valid_files(**{f"images/zero{n}.png": zeros for n in range(3)}))
    assert len(bomb) < 100_000

    def no_unpacking(*args, **kwargs):
        raise AssertionError("an entry was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    found = problems(bomb)

    assert found == ["signs.zip:1:1: the archive unpacks to 30 MiB; at most 20 MiB are allowed"]


def test_unpacked_limit_is_configurable():
    assert problems(make_zip(valid_files()), max_unpacked=100) == [
        f"signs.zip:1:1: the archive unpacks to {len(BANK) + len(PNG) + len(JPEG)} bytes; "
        "at most 100 bytes are allowed"
    ]


def test_archive_that_lies_about_a_size_is_refused_as_damaged():
    big = PNG + b"\x00" * (5 * 1024 * 1024)
    honest = make_zip(valid_files(**{"images/stop.png": big}))
    lying = patch_central_header(honest, "images/stop.png", 24, struct.pack("<I", 1000))
    found = problems(lying)

    assert len(found) == 1
    assert found[0].startswith(
        "signs.zip/images/stop.png:1:1: the archive entry 'images/stop.png' is damaged"
    )


def test_image_over_one_mebibyte_is_refused():
    big = PNG + b"\x00" * (1024 * 1024)

    assert problems(make_zip(valid_files(**{"images/stop.png": big}))) == [
        "signs.zip/images/stop.png:1:1: image 'images/stop.png' is 1,048,608 bytes; "
        "an image may be at most 1,048,576 bytes"
    ]


def test_text_named_png_is_refused():
    fake = b"<svg onload='alert(1)'></svg>"

    assert problems(make_zip(valid_files(**{"images/stop.png": fake}))) == [
        "signs.zip/images/stop.png:1:1: 'images/stop.png' is not a PNG, JPEG, WebP or GIF image, "
        "whatever its name says"
    ]


def test_other_file_types_are_refused():
    assert problems(make_zip(valid_files(**{"notes.txt": b"todo", "images/a.svg": b"<svg/>"}))) == [
        "signs.zip:1:1: 'notes.txt' is neither the bank nor an image (PNG, JPEG, WebP or GIF); "
        "remove it from the archive",
        "signs.zip:1:1: 'images/a.svg' is neither the bank nor an image (PNG, JPEG, WebP or GIF); "
        "remove it from the archive",
    ]


def test_file_that_is_not_a_zip_is_refused():
    assert problems(b"id: road-signs\n") == [
        "signs.zip:1:1: the file is not a readable .zip archive (File is not a zip file)"
    ]


def test_duplicate_entries_are_refused():
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns when it writes a name twice
        for name, data in valid_files().items():
            archive.writestr(name, data)
        archive.writestr("images/stop.png", GIF)

    assert problems(buffer.getvalue()) == [
        "signs.zip:1:1: the archive holds 'images/stop.png' twice"
    ]


def test_bank_over_its_size_limit_is_refused_without_parsing():
    assert problems(make_zip(valid_files()), max_bank_bytes=100) == [
        f"signs.zip/bank.yaml:1:1: the file is {len(BANK)} bytes; a bank may be at most 100 bytes"
    ]


def test_every_unsafe_entry_is_reported_at_once():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../a.png", PNG)
        link = zipfile.ZipInfo("b.png")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "x")
        archive.writestr("bank.yaml", BANK)

    assert len(problems(buffer.getvalue())) == 2
