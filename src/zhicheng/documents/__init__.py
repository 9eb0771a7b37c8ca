"""Documents: checked uploads (materials) and the printable forms (PDF, QR codes).

A plain package (no models): `uploads` checks, hashes and stores uploaded materials;
`pdf` renders the 专业技术资格评审申报表 from a frozen snapshot; `qr` makes QR codes;
`fonts` registers the embedded Chinese TrueType font. See docs/documents.md.
"""
