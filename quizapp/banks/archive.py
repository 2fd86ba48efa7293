"""Reading a bank uploaded as a .zip: one YAML bank plus the images its questions name.

Pure module: no Flask, no database. An upload is hostile until proven otherwise, so every
entry is checked (paths, links, encryption, declared sizes) before a single byte is unpacked,
and reading stops as soon as the real size passes the limit.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from .format import (
    IMAGE_EXTENSIONS,
    MAX_BANK_BYTES,
    Bank,
    BankError,
    Problem,
    format_size,
    format_sizes,
    message,
    parse_bank,
)

MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 1024 * 1024
#: Far more than any bank needs (5,000 questions with one image each), few enough that the
#: central directory of a hostile archive cannot cost much.
MAX_ENTRIES = 10_000

BANK_EXTENSIONS = (".yaml", ".yml")
# Files that operating systems add to archives by themselves; refusing them would only
# puzzle the author, and they are never unpacked.
_SYSTEM_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.I)
_CHUNK = 64 * 1024
_S_IFMT = 0o170000
_S_IFLNK = 0o120000


@dataclass(frozen=True)
class BankArchive:
    """A valid bank from a .zip, with the images it names (path -> bytes, path -> type)."""

    bank: Bank
    images: dict[str, bytes]
    media_types: dict[str, str]
    #: The YAML inside, as written (kept with the version for the record).
    source_text: str = ""
    #: Its path inside the archive.
    source_name: str = ""


def media_type(data: bytes) -> str | None:
    """The image type the file's first bytes announce (PNG, JPEG, WebP, GIF), else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def read_bank_archive(
    data: bytes,
    filename: str,
    *,
    max_bank_bytes: int = MAX_BANK_BYTES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_image_bytes: int = MAX_IMAGE_BYTES,
) -> BankArchive:
    """Read a .zip holding one bank and its images; raise BankError listing every problem.

    Problems in the YAML name it inside the archive, e.g. ``signs.zip/bank.yaml:3:5: …``.
    """
    reader = _ArchiveReader(filename, max_unpacked)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        reader.refuse(filename, "bad_zip", reason=str(error) or type(error).__name__)
        raise BankError(reader.problems) from None
    with archive:
        return reader.read(archive, max_bank_bytes, max_image_bytes)


class _ArchiveReader:
    """Reads one archive, collecting its problems; stops before parsing when there are any."""

    def __init__(self, filename: str, max_unpacked: int) -> None:
        self.filename = filename
        self.max_unpacked = max_unpacked
        #: What may still be unpacked in total; guards against headers that lie about sizes.
        self.budget = max_unpacked
        self.problems: list[Problem] = []

    def refuse(self, file: str, message_id: str, /, **fields: object) -> None:
        # Archive problems concern a whole file, so they sit at its first line and column.
        self.problems.append(Problem(file, 1, 1, message(message_id, **fields)))

    def stop_if_refused(self) -> None:
        if self.problems:
            raise BankError(self.problems)

    def read(
        self, archive: zipfile.ZipFile, max_bank_bytes: int, max_image_bytes: int
    ) -> BankArchive:
        entries = self.entries(archive)
        self.stop_if_refused()

        banks = [name for name in entries if name.lower().endswith(BANK_EXTENSIONS)]
        images = [name for name in entries if name.lower().endswith(IMAGE_EXTENSIONS)]
        for name in entries:
            if name not in banks and name not in images:
                self.refuse(self.filename, "zip_other_file", name=name)
        if not banks:
            self.refuse(self.filename, "zip_no_bank")
        elif len(banks) > 1:
            self.refuse(self.filename, "zip_several_banks", names=", ".join(sorted(banks)))
        self.stop_if_refused()

        bank_name = banks[0]
        bank_file = f"{self.filename}/{bank_name}"
        bank_data = self.unpack(
            archive, entries[bank_name], bank_file, max_bank_bytes, "file_too_large"
        )

        contents: dict[str, bytes] = {}
        types: dict[str, str] = {}
        for name in images:
            image_file = f"{self.filename}/{name}"
            image = self.unpack(
                archive, entries[name], image_file, max_image_bytes, "zip_image_too_large"
            )
            if image is None:
                continue
            kind = media_type(image)
            if kind is None:
                self.refuse(image_file, "zip_not_image", name=name)
                continue
            contents[name], types[name] = image, kind

        bank = None
        if bank_data is not None:
            try:
                # Every image file in the archive counts as present, even a refused one, so
                # that its question is not also told the image is missing.
                bank = parse_bank(
                    bank_data, bank_file, max_bytes=max_bank_bytes, image_paths=frozenset(images)
                )
            except BankError as error:
                self.problems.extend(error.problems)
        self.stop_if_refused()
        assert bank is not None
        # Unused images are allowed in the archive but not kept: nothing would show them.
        named = sorted({q.image for q in bank.questions if q.image is not None})
        return BankArchive(
            bank=bank,
            images={name: contents[name] for name in named},
            media_types={name: types[name] for name in named},
            source_text=bank_data.decode("utf-8-sig"),
            source_name=bank_name,
        )

    def entries(self, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
        """The archive's files by path, refusing anything unsafe before unpacking a byte."""
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            self.refuse(self.filename, "zip_too_many_files", count=len(infos), limit=MAX_ENTRIES)
            return {}
        # A bomb is refused here by the sizes it declares; one that lies about them fails
        # zipfile's CRC check in unpack(), which never reads past a declared size.
        declared = sum(info.file_size for info in infos)
        if declared > self.max_unpacked:
            sizes = format_sizes(declared, self.max_unpacked)
            self.refuse(self.filename, "zip_too_large", **sizes)
            return {}
        entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            raw = info.filename
            if _SYSTEM_JUNK.search(raw):
                continue
            name = _safe_name(raw)
            if name is None:
                self.refuse(self.filename, "zip_unsafe_path", name=raw)
            elif (info.external_attr >> 16) & _S_IFMT == _S_IFLNK:
                self.refuse(self.filename, "zip_link", name=raw)
            elif info.flag_bits & 0x1:
                self.refuse(self.filename, "zip_encrypted", name=raw)
            elif info.is_dir():
                continue
            elif info.compress_type not in _READABLE_COMPRESSION:
                self.refuse(self.filename, "zip_unsupported", name=raw)
            elif name in entries:
                self.refuse(self.filename, "zip_duplicate", name=name)
            else:
                entries[name] = info
        return entries

    def unpack(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, limit: int, too_large: str
    ) -> bytes | None:
        """One entry's bytes, read in chunks and abandoned as soon as it passes a limit."""
        name = info.filename
        if info.file_size > limit:
            self.refuse(file, too_large, name=name, **format_sizes(info.file_size, limit))
            return None
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    self.budget -= len(chunk)
                    # zipfile stops at the declared size and then checks the CRC, so these
                    # only matter should a zipfile bug or a new format let a liar through.
                    if size > limit:
                        most = format_size(limit)
                        self.refuse(file, too_large, name=name, size=f"over {most}", limit=most)
                        return None
                    if self.budget < 0:
                        most = format_size(self.max_unpacked)
                        self.refuse(self.filename, "zip_too_large", size=f"over {most}", limit=most)
                        return None
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            # zipfile raises these for damaged data, including a CRC that does not match.
            self.refuse(file, "zip_damaged", name=name, reason=str(error) or type(error).__name__)
            return None
        return b"".join(chunks)


_READABLE_COMPRESSION = (
    zipfile.ZIP_STORED,
    zipfile.ZIP_DEFLATED,
    zipfile.ZIP_BZIP2,
    zipfile.ZIP_LZMA,
)


def _safe_name(raw: str) -> str | None:
    """The entry's path with './' parts removed, or None if it could leave the archive."""
    # Backslashes and drive letters are separators and roots to Windows tools.
    if raw.startswith("/") or "\\" in raw or re.match(r"[A-Za-z]:", raw) or "\x00" in raw:
        return None
    if ".." in raw.split("/"):
        return None
    name = posixpath.normpath(raw)
    return None if name in (".", "..") or name.startswith(("/", "../")) else name
