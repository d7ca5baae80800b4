"""PDF copies of the report through LibreOffice, where it is installed (the command writes them; tests check them)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

LIBREOFFICE_TIMEOUT = 300  # seconds for one conversion run


def libreoffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_convert(*, paths: list[Path], folder: Path) -> list[Path]:
    """Each file as a PDF beside the others in `folder`; [] when LibreOffice is not installed.

    A throw-away profile keeps the conversion from touching (or waiting on) anyone's LibreOffice settings.
    """
    binary = libreoffice_binary()
    if binary is None or not paths:
        return []
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([binary, "--headless", f"-env:UserInstallation={Path(profile).as_uri()}", "--convert-to",
                        "pdf", "--outdir", str(folder), *map(str, paths)], check=True, capture_output=True,
                       timeout=LIBREOFFICE_TIMEOUT)
    return [Path(folder) / f"{path.stem}.pdf" for path in paths]
