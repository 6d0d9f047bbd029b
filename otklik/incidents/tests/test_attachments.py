"""Photos and videos of a draft: checked by their bytes, stored under random names, served by access."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from otklik.core.tests.signin import client_for
from otklik.incidents import services as svc
from otklik.incidents.attachments import AttachmentError, attachments_store, file_type, files_check
from otklik.incidents.models import Attachment, Draft, Incident, Status
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.org.selectors import Access, access_for

pytestmark = pytest.mark.django_db

JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200
HTML_BYTES = b"<html><script>alert(1)</script></html>"
EXE_BYTES = b"MZ\x90\x00\x03" + b"\x00" * 200
CLAIM = "Здравствуйте, Анна! Яма засыпана. Спасибо, что написали."


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.OTKLIK_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def jpeg(name: str = "фото ямы.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def acc(demo: dict[str, Any], login: str) -> Access:
    access = access_for(demo[login].user)
    assert access is not None
    return access


def routed(demo: dict[str, Any]) -> Incident:
    incident, _ = svc.incident_intake(
        municipality=Municipality.objects.get(slug="plastunovskoe"), kind="incident", importance="normal",
        network="vk", url="https://vk.com/wall-1_2", author_name="Анна Петрова", author_url="https://vk.com/id1",
        text="Яма на ул. Красной, 15", detected_at=timezone.now(), by=demo["region"])
    zhkh = Unit.objects.get(name="Отдел ЖКХ и благоустройства")
    svc.incident_route(access=acc(demo, "curator"), incident_id=incident.pk, unit_ids=[zhkh.pk])
    return incident


def submit(client: Client, incident: Incident, *files: SimpleUploadedFile, text: str = CLAIM) -> Any:
    return client.post(f"/incidents/{incident.pk}/act/submit_draft/",
                       {"text": text, "attachments": "", "confirm_errors": "on", "files": list(files)})


# ---------------------------------------------------------------- the type by magic bytes

@pytest.mark.parametrize(("head", "content_type"), [
    (JPEG_BYTES, "image/jpeg"),
    (PNG_BYTES, "image/png"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
    (b"\x00\x00\x00\x18ftypmif1\x00\x00", "image/heif"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00", "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00", "video/quicktime"),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm"),
])
def test_types_by_magic_bytes(head: bytes, content_type: str) -> None:
    found = file_type(head)
    assert found is not None and found.content_type == content_type


@pytest.mark.parametrize("head", [HTML_BYTES, EXE_BYTES, b"", b"%PDF-1.7", b"\x00\x00\x00\x18ftypXXXX"])
def test_other_bytes_are_not_photo_or_video(head: bytes) -> None:
    assert file_type(head) is None


def test_browser_content_type_and_extension_are_not_trusted() -> None:
    fake = SimpleUploadedFile("photo.jpg", HTML_BYTES, content_type="image/jpeg")
    assert files_check([fake]) == ["Файл «photo.jpg»: это не фото и не видео (JPEG, PNG, WEBP, HEIC, MP4, MOV, WEBM)."]
    real = SimpleUploadedFile("document.exe", PNG_BYTES, content_type="application/octet-stream")
    assert files_check([real]) == []


def test_size_limits_from_settings(settings: Any) -> None:
    settings.OTKLIK_MAX_PHOTO_MB = 0.0001  # about 100 bytes
    assert files_check([jpeg("big.jpg")]) == ["Файл «big.jpg»: больше 0,0001 МБ."]
    settings.OTKLIK_MAX_PHOTO_MB = 15
    assert files_check([jpeg("big.jpg")]) == []


def test_at_most_ten_files() -> None:
    assert files_check([jpeg(f"{n}.jpg") for n in range(10)]) == []
    [error] = files_check([jpeg(f"{n}.jpg") for n in range(11)])
    assert "не больше 10 файлов" in error


# ---------------------------------------------------------------- through the draft form

def test_photo_is_stored_under_a_random_name(demo: dict[str, Any], media_root: Path) -> None:
    incident = routed(demo)
    png = SimpleUploadedFile("../../etc/план.png", PNG_BYTES, content_type="image/png")
    r = submit(client_for(demo, "executor"), incident, jpeg("фото ямы.jpg"), png)
    assert r.status_code == 302, r.content.decode()[:2000]
    draft = Draft.objects.get(incident=incident)
    files = list(Attachment.objects.filter(draft=draft).order_by("pk"))
    assert [(a.name, a.kind, a.content_type, a.size) for a in files] == [
        ("фото ямы.jpg", "photo", "image/jpeg", len(JPEG_BYTES)),
        ("план.png", "photo", "image/png", len(PNG_BYTES)),
    ]
    for att, ext in zip(files, ("jpg", "png"), strict=True):
        name = Path(att.file.name)
        assert name.parts[0] == "attachments" and name.suffix == f".{ext}"
        assert len(name.stem) == 32 and all(c in "0123456789abcdef" for c in name.stem)
        assert "фото" not in att.file.name and "план" not in att.file.name
    on_disk = stored_files(media_root)
    assert len(on_disk) == 2 and {p.read_bytes() for p in on_disk} == {JPEG_BYTES, PNG_BYTES}
    assert all(p.resolve().is_relative_to(media_root.resolve()) for p in on_disk)


def test_renamed_html_is_refused_and_nothing_stored(demo: dict[str, Any], media_root: Path) -> None:
    incident = routed(demo)
    fake = SimpleUploadedFile("photo.jpg", HTML_BYTES, content_type="image/jpeg")
    r = submit(client_for(demo, "executor"), incident, jpeg("good.jpg"), fake)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Файл «photo.jpg»: это не фото и не видео (JPEG, PNG, WEBP, HEIC, MP4, MOV, WEBM)" in page
    assert "<script>alert(1)" not in page
    assert Attachment.objects.count() == 0 and Draft.objects.filter(incident=incident).count() == 0
    assert stored_files(media_root) == []
    incident.refresh_from_db()
    assert incident.status == Status.ROUTED


def test_renamed_exe_is_refused(demo: dict[str, Any], media_root: Path) -> None:
    incident = routed(demo)
    r = submit(client_for(demo, "executor"), incident,
               SimpleUploadedFile("x.exe", EXE_BYTES, content_type="application/x-msdownload"))
    assert r.status_code == 400
    assert "Файл «x.exe»: это не фото и не видео" in r.content.decode()
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_oversize_file_is_refused(demo: dict[str, Any], settings: Any, media_root: Path) -> None:
    settings.OTKLIK_MAX_PHOTO_MB = 0.0001
    incident = routed(demo)
    r = submit(client_for(demo, "executor"), incident, jpeg("large.jpg"))
    assert r.status_code == 400
    assert "Файл «large.jpg»: больше 0,0001 МБ." in r.content.decode()
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_service_refuses_too_and_stores_nothing(demo: dict[str, Any], media_root: Path) -> None:
    incident = routed(demo)
    fake = SimpleUploadedFile("photo.jpg", HTML_BYTES)
    with pytest.raises(AttachmentError, match="это не фото и не видео"):
        svc.incident_submit_draft(access=acc(demo, "executor"), incident_id=incident.pk, text=CLAIM,
                                  confirmed_with_errors=True, files=[jpeg(), fake])
    assert Draft.objects.filter(incident=incident).count() == 0
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []
    with pytest.raises(AttachmentError):
        attachments_store(incident=incident, draft=None, files=[fake], by=demo["executor"])
    assert stored_files(media_root) == []


def test_links_still_work_next_to_files(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    r = client_for(demo, "executor").post(f"/incidents/{incident.pk}/act/submit_draft/", {
        "text": CLAIM, "attachments": "https://disk.example/foto1", "confirm_errors": "on", "files": [jpeg()]})
    assert r.status_code == 302
    draft = Draft.objects.get(incident=incident)
    assert draft.attachments == ["https://disk.example/foto1"] and draft.files.count() == 1


# ---------------------------------------------------------------- the evidence check

def _codes(draft: Draft) -> set[str]:
    return {str(x.get("code")) for x in draft.findings}


def test_evidence_warning_disappears_with_a_photo(demo: dict[str, Any]) -> None:
    bare, with_photo = routed(demo), routed(demo)
    executor = client_for(demo, "executor")
    submit(executor, bare)
    submit(executor, with_photo, jpeg())
    assert "evidence" in _codes(Draft.objects.get(incident=bare))
    assert "evidence" not in _codes(Draft.objects.get(incident=with_photo))


def test_check_without_js_counts_the_uploaded_photo(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    executor = client_for(demo, "executor")
    url = f"/incidents/{incident.pk}/check/"
    bare = executor.post(url, {"text": CLAIM, "check_action": "submit_draft"},
                         headers={"HX-Request": "true"}).content.decode()
    photo = executor.post(url, {"text": CLAIM, "check_action": "submit_draft", "files": [jpeg()]},
                          headers={"HX-Request": "true"}).content.decode()
    assert 'data-code="evidence"' in bare and 'data-code="evidence"' not in photo


# ---------------------------------------------------------------- edit after approval

def test_edit_approved_keeps_the_files(demo: dict[str, Any], media_root: Path) -> None:
    incident = routed(demo)
    submit(client_for(demo, "executor"), incident, jpeg("a.jpg"))
    curator, region = acc(demo, "curator"), acc(demo, "region")
    svc.incident_forward(access=curator, incident_id=incident.pk)
    first = Draft.objects.get(incident=incident)
    svc.incident_approve(access=region, incident_id=incident.pk, text_hash_seen=first.text_hash)
    client = client_for(demo, "curator")
    r = client.post(f"/incidents/{incident.pk}/act/edit_approved/",
                    {"text": "Здравствуйте, Анна! Яма засыпана щебнем. Спасибо, что написали."})
    assert r.status_code == 302
    second = Draft.objects.filter(incident=incident).latest("round")
    assert second.pk != first.pk
    [old], [new] = first.files.all(), second.files.all()
    assert new.pk != old.pk and new.file.name == old.file.name and new.name == "a.jpg"
    assert "evidence" not in _codes(second)
    assert len(stored_files(media_root)) == 1
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert f'/incidents/{incident.pk}/files/{new.pk}/' in page


# ---------------------------------------------------------------- serving

def _with_photo(demo: dict[str, Any], name: str = "фото ямы.jpg") -> tuple[Incident, Attachment]:
    incident = routed(demo)
    submit(client_for(demo, "executor"), incident, jpeg(name))
    return incident, Attachment.objects.get(incident=incident)


def test_file_served_to_the_unit_and_the_curator(demo: dict[str, Any]) -> None:
    incident, att = _with_photo(demo)
    url = f"/incidents/{incident.pk}/files/{att.pk}/"
    for login in ("executor", "executor2", "zhkh_head", "curator", "region"):
        r: Any = client_for(demo, login).get(url)
        assert r.status_code == 200, login
        assert b"".join(r.streaming_content) == JPEG_BYTES
        assert r["Content-Type"] == "image/jpeg"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Disposition"].startswith("inline;")
        assert "filename*=utf-8''%D1%84%D0%BE%D1%82%D0%BE%20%D1%8F%D0%BC%D1%8B.jpg" in r["Content-Disposition"]


def test_file_is_404_to_another_unit_and_municipality(demo: dict[str, Any]) -> None:
    incident, att = _with_photo(demo)
    url = f"/incidents/{incident.pk}/files/{att.pk}/"
    assert client_for(demo, "kdc").get(url).status_code == 404  # an executor of another unit
    region = Region.objects.create(slug="far", name="Дальний край")
    mun = Municipality.objects.create(slug="far-mo", region=region, name="Дальнее МО")
    from django.contrib.auth import get_user_model

    for role in (Role.MUNICIPAL_CURATOR, Role.EXECUTOR):
        user = get_user_model().objects.create_user(username=f"far-{role}", password="x-far-pass")
        person = Person.objects.create(user=user, full_name="Чужой", region=region, municipality=mun,
                                       unit=Unit.objects.create(municipality=mun, name=f"Отдел {role}"))
        PersonRole.objects.create(person=person, role=role)
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404, role
    assert Client().get(url).status_code == 302  # anonymous: to sign-in


def test_file_of_another_incident_is_404(demo: dict[str, Any]) -> None:
    incident, att = _with_photo(demo)
    other = routed(demo)
    client = client_for(demo, "curator")
    assert client.get(f"/incidents/{other.pk}/files/{att.pk}/").status_code == 404
    assert client.get(f"/incidents/{incident.pk}/files/{att.pk + 100}/").status_code == 404


def test_detail_lists_files_with_names_escaped(demo: dict[str, Any]) -> None:
    incident, att = _with_photo(demo, name="<img src=x onerror=alert(1)>.jpg")
    page = client_for(demo, "curator").get(f"/incidents/{incident.pk}/").content.decode()
    url = f"/incidents/{incident.pk}/files/{att.pk}/"
    assert f'<img src="{url}"' in page
    assert "<img src=x onerror" not in page and "&lt;img src=x onerror=alert(1)&gt;.jpg" in page


def test_draft_form_has_a_multiple_file_input(demo: dict[str, Any]) -> None:
    incident = routed(demo)
    page = client_for(demo, "executor").get(f"/incidents/{incident.pk}/").content.decode()
    form = page.split(f'action="/incidents/{incident.pk}/act/submit_draft/"')[1].split("</form>")[0]
    assert form.startswith(' enctype="multipart/form-data"')
    assert 'type="file" name="files"' in form and "multiple" in form and 'accept="image/*,video/*"' in form
