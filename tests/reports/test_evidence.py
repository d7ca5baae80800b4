import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Evidence, Report
from tests.factories import MembershipFactory
from tests.reports.bad_files import replace_part, template_like
from units.models import Membership

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def draft(client, world):
    client.force_login(world.clerk)
    url = reverse("reports:form", kwargs={"code": "P1.X1", "period": dt.date(2026, 5, 1)})
    client.post(url, {"version": "0", "ky_so-numerator": "1", "ky_so-denominator": "2", "save": "1"})
    return Report.objects.get()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _upload(client, report, indicator, name, content):
    return client.post(reverse("reports:evidence-upload", kwargs={"pk": report.pk}),
                       {"indicator": indicator.pk, "file": SimpleUploadedFile(name, content)}, follow=True)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("bien-ban.pdf", PDF, "application/pdf"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png"),
    ("bao-cao.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_real_documents_are_attached_and_served_only_in_scope(client, world, draft, name, content, kind):
    response = _upload(client, draft, world.signed, name, content)
    assert "Đã đính kèm tệp." in response.content.decode()
    evidence = Evidence.objects.get()
    assert evidence.content_type == kind and evidence.original_name == name
    assert name in client.get(reverse("reports:form", kwargs={"code": "P1.X1", "period": draft.period})
                              ).content.decode()
    url = reverse("reports:evidence", kwargs={"pk": evidence.pk})
    client.force_login(MembershipFactory(unit=world.other_ward, role=Membership.Role.CLERK).user)
    assert client.get(url).status_code == 404
    client.force_login(world.reviewer)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert download["Content-Type"] == kind and download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content"), [
    ("virus.pdf", b"MZ\x90\x00 this is a program"),
    ("ghi-chu.pdf", b"chi la van ban thuong"),
    ("nen.zip", b"PK\x03\x04" + b"\0" * 40),
])
def test_other_files_are_refused_by_content_and_nothing_is_kept(client, world, draft, media, name, content):
    response = _upload(client, draft, world.signed, name, content)
    assert f"“{name}” không phải là tệp PDF" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_file_over_the_limit_is_refused(client, world, draft, settings):
    settings.PORTAL_EVIDENCE_MAX_BYTES = 1024
    response = _upload(client, draft, world.signed, "lon.pdf", PDF + b"0" * 2048)
    assert "tối đa" in response.content.decode()
    assert not Evidence.objects.exists()


def _zip(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
DOCX_PARTS = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bao-cao.docx", _zip({**DOCX_PARTS, "word/media/setup.exe": b"MZ\x90\x00" + b"\0" * 60}),
     "chứa chương trình, macro hoặc tệp nén khác (word/media/setup.exe)"),
    ("bao-cao.docx", _zip({**DOCX_PARTS, "word/media/image1.png": b"MZ\x90\x00" + b"\0" * 60}),
     "(word/media/image1.png)"),
    ("bao-cao.docx", _zip({**DOCX_PARTS, "word/embeddings/goi.zip": _docx()}), "(word/embeddings/goi.zip)"),
    ("bao-cao.docx", _zip({**DOCX_PARTS, "word/vbaProject.bin": b"\0" * 64}), "(word/vbaProject.bin)"),
    ("bao-cao.docm", _zip({"[Content_Types].xml": '<Types><Override ContentType="application/'
                                                  'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
                           "word/document.xml": "<w:document/>"}), "([Content_Types].xml)"),
    ("bao-cao.doc", OLE, "tệp Office định dạng cũ hoặc tệp cài đặt"),
    ("cai-dat.msi", OLE, "tệp Office định dạng cũ hoặc tệp cài đặt"),
    ("trang.html", PDF, "là tệp PDF nhưng tên tệp kết thúc bằng “.html”"),
    ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "là tệp PNG nhưng tên tệp kết thúc bằng “.pdf”"),
    ("bang.docx", _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
     "là tệp Excel (.xlsx) nhưng tên tệp kết thúc bằng “.docx”"),
    ("rong.docx", _zip({"[Content_Types].xml": "<Types/>"}), "“rong.docx” không phải là tệp PDF"),
    ("van-ban.odt", _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>",
                          "Basic/Standard/Module1.xml": "<script/>"}), "(Basic/Standard/Module1.xml)"),
])
def test_documents_whose_inside_does_not_match_their_kind_are_refused(client, world, draft, media, name, content,
                                                                     message):
    response = _upload(client, draft, world.signed, name, content)
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_zip_bomb_named_docx_is_refused_from_its_directory(client, world, draft, media):
    bomb = _zip({**DOCX_PARTS, "word/media/big.xml": b"\0" * (50 * 2**20)})
    assert len(bomb) < 100_000
    response = _upload(client, draft, world.signed, "bao-cao.docx", bomb)
    assert "phần của tệp sẽ bung ra" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("name", "content", "stored", "served"), [
    ("Biên bản <họp>\".PDF", PDF, ".pdf", "Biên bản họp.pdf"),
    ("../../anh chup.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 32, ".jpg", "anh chup.jpg"),
    ("bang-tinh.ods", _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
     ".ods", "bang-tinh.ods"),
    ("so-lieu.xlsx", replace_part(template_like(), "xl/printerSettings/printerSettings1.bin", b"\0" * 64),
     ".xlsx", "so-lieu.xlsx"),
])
def test_accepted_files_are_stored_and_served_under_a_safe_name_of_their_kind(client, world, draft, name, content,
                                                                             stored, served):
    _upload(client, draft, world.signed, name, content)
    evidence = Evidence.objects.get()
    assert evidence.file.name.endswith(stored) and "/" not in evidence.file.name.split("evidence/")[1][
        len(str(draft.pk)) + 1:]
    client.force_login(world.reviewer)
    download = client.get(reverse("reports:evidence", kwargs={"pk": evidence.pk}))
    assert b"".join(download.streaming_content) == content
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    from urllib.parse import unquote
    assert unquote(disposition).endswith(f"{served}") or f'filename="{served}"' in disposition
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == evidence.content_type


def test_a_body_over_the_request_limit_is_refused_unread_in_vietnamese(client, world, draft, media, settings):
    settings.PORTAL_REQUEST_MAX_BYTES = 64 * 1024
    response = client.post(reverse("reports:evidence-upload", kwargs={"pk": draft.pk}),
                           {"indicator": world.signed.pk, "file": SimpleUploadedFile("lon.pdf", PDF + b"0" * 2**17)})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode() and "cổng chỉ nhận tối đa 0,1 MB" in response.content.decode()
    assert not Evidence.objects.exists()
