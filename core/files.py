"""What a file really is, read from its first bytes rather than its name."""

import zipfile

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_ODF = {
    b"application/vnd.oasis.opendocument.text": "application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet": "application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation": "application/vnd.oasis.opendocument.presentation",
}


def sniff_content_type(upload) -> str | None:
    """The content type of a PDF, an image or an office document; None for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(_OLE):
        return "application/msword"  # .doc / .xls / .ppt: one container format
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
                if "mimetype" in names:
                    return _ODF.get(archive.read("mimetype").strip())
                if "[Content_Types].xml" in names:
                    return next((kind for prefix, kind in _ZIP_TYPES.items()
                                 if any(name.startswith(prefix) for name in names)), None)
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None
