"""The class map's PDF is made reproducible: the times and the document id Qt writes differ on every export
(info dictionary on every Qt; XMP metadata too under QGIS 3.40/3.44) and are replaced by the filing DATE."""

from __future__ import annotations

import datetime

from ecozoning.core.filing import normalize_pdf


def pdf(stamp: str, iso: str, document: str) -> bytes:
    # the shape of what QGIS 3.40's layout exporter writes (trimmed): info dictionary + XMP packet
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Producer (Qt 5.15.15) /CreationDate (D:" + stamp.encode() + b"+00'00') >>\nendobj\n"
        b"2 0 obj\n<< /Type /Metadata /Subtype /XML /Length 420 >>\nstream\n"
        b'<rdf:Description rdf:about="" xmp:CreatorTool="QGIS 3.40.6-Bratislava" xmp:CreateDate="'
        + iso.encode()
        + b'" xmp:ModifyDate="'
        + iso.encode()
        + b'" xmp:MetadataDate="'
        + iso.encode()
        + b'"/>\n<rdf:Description rdf:about="" xmpMM:DocumentID="uuid:'
        + document.encode()
        + b'" xmpMM:VersionID="1"/>\n<xmp:CreateDate>'
        + iso.encode()
        + b"</xmp:CreateDate>\nendstream\nendobj\nxref\n0 3\ntrailer\n<< /Size 3 >>\nstartxref\n9\n%%EOF\n"
    )


def test_two_exports_become_the_same_bytes_of_the_same_length(tmp_path):
    date = datetime.date(2024, 6, 29)
    first = pdf("20261202163938", "2026-12-02T16:39:38Z", "bd582a76-bd55-4161-abcc-84b2b7def793")
    second = pdf("20261202164012", "2026-12-02T16:40:12+08:00", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for path, data in zip(paths, (first, second)):
        path.write_bytes(data)
        normalize_pdf(str(path), date)
    a, b = (p.read_bytes() for p in paths)
    assert len(a) == len(first) and len(b) == len(second)  # offsets in the xref table stay valid
    assert a.replace(b"+08:00", b"Z") == b.replace(b"+08:00", b"Z")
    assert b"D:20240629000000" in a and a.count(b"2024-06-29T00:00:00Z") == 4
    assert b"16:39" not in a and b"bd582a76" not in a
    assert b"QGIS 3.40.6-Bratislava" in a  # only the times and the id change


def test_another_date_gives_another_document_id(tmp_path):
    data = pdf("20261202163938", "2026-12-02T16:39:38Z", "bd582a76-bd55-4161-abcc-84b2b7def793")
    ids = []
    for day in (1, 2):
        path = tmp_path / f"{day}.pdf"
        path.write_bytes(data)
        normalize_pdf(str(path), datetime.date(2024, 6, day))
        text = path.read_bytes()
        ids.append(text[text.index(b"uuid:") : text.index(b"uuid:") + 41])
    assert ids[0] != ids[1]
