#!/usr/bin/python3
"""Regenerates vectors/interop/: packages shaped like what the live hub delivers, each judged in
both modes. Run from anywhere: /usr/bin/python3 vectors/interop/make.py

Every package starts from vectors/packages/document-document.xml (or document-revoke.xml) and
carries hand-made deviations: one each in the `one-*` packages, several in the `live-*` ones
(whole packages shaped like live-hub downloads). Expectations are written here by hand, never
copied from vxpkit's output; tests/vectors_test.cc judges every package in strict and in lenient
mode and compares. Pinned date: 2026/11/21.

Lenient (interop) mode means "a receiving system can process it": deviations become WARN with
rule IDs of their own (EDXML-INTEROP-*), what a receiver cannot process (no From/To/DocumentId/
Subject, undecodable attachments, a wrong namespace) still fails. Strict (certification) mode is
the standard as written.
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
PACKAGES = HERE.parent / "packages"
DOC = (PACKAGES / "document-document.xml").read_text(encoding="utf-8")
REVOKE = (PACKAGES / "document-revoke.xml").read_text(encoding="utf-8")


def edit(text, *pairs):
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


NO_FROM_NAME = ("          <edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName>\n", "")
NO_COMPETENCE = ("          <edXML:Competence>KT. BỘ TRƯỞNG, CHỦ NHIỆM</edXML:Competence>\n", "")
NO_POSITION = ("          <edXML:Position>Phó Chủ nhiệm</edXML:Position>\n", "")
NO_TYPE_DETAIL = ("          <edXML:TypeDetail>2</edXML:TypeDetail>\n", "")
NO_PLACE = ("          <edXML:Place>Hà Nội</edXML:Place>\n", "")
EMPTY_RESPONSE_FOR = ("        <edXML:SteeringType>1</edXML:SteeringType>\n",
                      "        <edXML:ResponseFor/>\n        <edXML:SteeringType>1</edXML:SteeringType>\n")
EMPTY_DUE_DATE = ("<edXML:DueDate>2026/12/31</edXML:DueDate>", "<edXML:DueDate/>")
EMPTY_PRIORITY = ("<edXML:Priority>1</edXML:Priority>", "<edXML:Priority></edXML:Priority>")
UUID_DOCID = ("<edXML:DocumentId>000.00.00.G22,2026/11/20,7816/VPCP-TTĐT</edXML:DocumentId>",
              "<edXML:DocumentId>5f0c6a2e-3b1d-4e7a-9c58-2d7e0b9a41f3</edXML:DocumentId>")
# The hub appends a TraceHeader of its own, here with a legacy identifier (edxml.md §3, §5).
HUB_TRACE = ("        </edXML:TraceHeader>\n      </edXML:TraceHeaderList>",
             "        </edXML:TraceHeader>\n        <edXML:TraceHeader>\n"
             "          <edXML:OrganId>vxp.saas.03</edXML:OrganId>\n"
             "          <edXML:Timestamp>2026/11/20 08:30:05</edXML:Timestamp>\n"
             "        </edXML:TraceHeader>\n      </edXML:TraceHeaderList>")
# Subject after SignerInfo, as the VNPT library writes it.
REORDER = ("        <edXML:Subject>V/v triển khai kết nối, liên thông văn bản điện tử</edXML:Subject>\n", "")
REORDER_BACK = ("        <edXML:ToPlaces>",
                "        <edXML:Subject>V/v triển khai kết nối, liên thông văn bản điện tử</edXML:Subject>\n"
                "        <edXML:ToPlaces>")
NO_SUBJECT = REORDER
NO_DOCID = ("        <edXML:DocumentId>000.00.00.G22,2026/11/20,7816/VPCP-TTĐT</edXML:DocumentId>\n", "")
BAD_BASE64 = ("<ContentTransferEncoded>", "<ContentTransferEncoded>%%not base64%%")
WRONG_NS = ('xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"',
            'xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2015" xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2015"')
# The revoke sample of the VNPT library: the target named in ResponseFor only.
REVOKE_TARGET_IN_RESPONSEFOR = None  # computed below


def revoke_without_bussiness_docid():
    start = REVOKE.index("<edXML:Bussiness>")
    end = REVOKE.index("</edXML:Bussiness>")
    block = REVOKE[start:end]
    line_start = block.index("<edXML:DocumentId>")
    line_end = block.index("</edXML:DocumentId>") + len("</edXML:DocumentId>")
    cut = block[line_start:line_end]
    return REVOKE[:start] + edit(block, ("          " + cut + "\n", "")) + REVOKE[end:]


def expect(strict, lenient):
    return {"strict": {"verdict": strict[0], "rule_ids": sorted(strict[1])},
            "lenient": {"verdict": lenient[0], "rule_ids": sorted(lenient[1])}}


XSD = "EDXML-XSD"
CASES = {
    # One deviation each: FAIL as the standard says, WARN of its own in lenient mode.
    "one-from-without-organname": (edit(DOC, NO_FROM_NAME),
                                   expect(("FAIL", [XSD]), ("WARN", ["EDXML-INTEROP-ORG-NAME"]))),
    "one-signer-without-competence": (edit(DOC, NO_COMPETENCE),
                                      expect(("FAIL", [XSD]), ("WARN", ["EDXML-INTEROP-SIGNER"]))),
    "one-signer-fullname-only": (edit(DOC, NO_COMPETENCE, NO_POSITION),
                                 expect(("FAIL", [XSD]), ("WARN", ["EDXML-INTEROP-SIGNER"]))),
    "one-type-without-typedetail": (edit(DOC, NO_TYPE_DETAIL),
                                    expect(("FAIL", [XSD]), ("WARN", ["EDXML-INTEROP-TYPE-DETAIL"]))),
    "one-promulgation-without-place": (edit(DOC, NO_PLACE),
                                       expect(("FAIL", [XSD]), ("WARN", ["EDXML-INTEROP-PLACE"]))),
    "one-empty-responsefor": (edit(DOC, EMPTY_RESPONSE_FOR),
                              expect(("FAIL", [XSD]), ("WARN", ["EDXML-INTEROP-EMPTY-RESPONSEFOR"]))),
    "one-empty-duedate": (edit(DOC, EMPTY_DUE_DATE),
                          expect(("FAIL", ["EDXML-HDR-1.9-DUEDATE"]),
                                 ("WARN", ["EDXML-INTEROP-EMPTY-ELEMENT"]))),
    "one-empty-priority": (edit(DOC, EMPTY_PRIORITY),
                           expect(("FAIL", ["EDXML-HDR-1.11-PRIORITY"]),
                                  ("WARN", ["EDXML-INTEROP-EMPTY-ELEMENT"]))),
    "one-hub-trace-legacy-id": (edit(DOC, HUB_TRACE),
                                expect(("FAIL", ["AGENCY-5-FORMAT"]), ("WARN", ["AGENCY-5-FORMAT"]))),
    "one-uuid-documentid": (edit(DOC, UUID_DOCID),
                            expect(("WARN", ["EDXML-HDR-1.14-DOCID-FORM"]),
                                   ("WARN", ["EDXML-HDR-1.14-DOCID-FORM"]))),
    "one-reordered": (edit(DOC, REORDER, REORDER_BACK),
                      expect(("WARN", ["EDXML-1-ORDER"]), ("WARN", ["EDXML-1-ORDER"]))),
    "one-revoke-target-in-responsefor": (revoke_without_bussiness_docid(),
                                         expect(("FAIL", ["EDXML-BUS-3-TARGET", "EDXML-BUS-3-REVOKE"]),
                                                ("WARN", ["EDXML-INTEROP-REVOKE-TARGET"]))),
    # What a receiver cannot process fails in both modes.
    "fail-no-subject": (edit(DOC, NO_SUBJECT), expect(("FAIL", [XSD]), ("FAIL", [XSD]))),
    "fail-no-documentid": (edit(DOC, NO_DOCID), expect(("FAIL", [XSD]), ("FAIL", [XSD]))),
    "fail-undecodable-attachment": (edit(DOC, BAD_BASE64),
                                    expect(("FAIL", ["EDXML-ATT-6-BASE64"]),
                                           ("FAIL", ["EDXML-ATT-6-BASE64"]))),
    "fail-wrong-namespace": (edit(DOC, WRONG_NS),
                             {"kind": "unknown", **expect(("FAIL", ["EDXML-1-ROOT"]),
                                                          ("FAIL", ["EDXML-1-ROOT"]))}),
    "fail-no-subject-with-deviations": (edit(DOC, NO_SUBJECT, NO_FROM_NAME, NO_TYPE_DETAIL),
                                        expect(("FAIL", [XSD]),
                                               ("FAIL", [XSD, "EDXML-INTEROP-ORG-NAME",
                                                         "EDXML-INTEROP-TYPE-DETAIL"]))),
    # Whole packages shaped like live-hub downloads.
    "live-download-document": (
        edit(DOC, NO_FROM_NAME, NO_COMPETENCE, NO_TYPE_DETAIL, EMPTY_RESPONSE_FOR, EMPTY_DUE_DATE,
             UUID_DOCID, HUB_TRACE, REORDER, REORDER_BACK),
        expect(("FAIL", [XSD, "EDXML-HDR-1.9-DUEDATE", "EDXML-HDR-1.14-DOCID-FORM",
                         "AGENCY-5-FORMAT", "EDXML-1-ORDER"]),
               ("WARN", ["EDXML-INTEROP-ORG-NAME", "EDXML-INTEROP-SIGNER",
                         "EDXML-INTEROP-TYPE-DETAIL", "EDXML-INTEROP-EMPTY-RESPONSEFOR",
                         "EDXML-INTEROP-EMPTY-ELEMENT", "EDXML-HDR-1.14-DOCID-FORM",
                         "AGENCY-5-FORMAT", "EDXML-1-ORDER"]))),
    "live-download-minimal-header": (
        edit(DOC, NO_FROM_NAME, NO_COMPETENCE, NO_POSITION, NO_TYPE_DETAIL, NO_PLACE, EMPTY_PRIORITY),
        expect(("FAIL", [XSD, "EDXML-HDR-1.11-PRIORITY"]),
               ("WARN", ["EDXML-INTEROP-ORG-NAME", "EDXML-INTEROP-SIGNER",
                         "EDXML-INTEROP-TYPE-DETAIL", "EDXML-INTEROP-PLACE",
                         "EDXML-INTEROP-EMPTY-ELEMENT"]))),
    "live-vnpt-revoke-sample": (
        edit(revoke_without_bussiness_docid(), NO_COMPETENCE),
        expect(("FAIL", [XSD, "EDXML-BUS-3-TARGET", "EDXML-BUS-3-REVOKE"]),
               ("WARN", ["EDXML-INTEROP-SIGNER", "EDXML-INTEROP-REVOKE-TARGET"]))),
}


def main():
    for old in list(HERE.glob("*.xml")) + list(HERE.glob("*.expect.json")):
        old.unlink()
    for name, (xml, expectation) in sorted(CASES.items()):
        (HERE / f"{name}.xml").write_text(xml, encoding="utf-8")
        expectation = {"kind": "document", "today": "2026/11/21", **expectation}
        (HERE / f"{name}.expect.json").write_text(json.dumps(expectation, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
    print(f"wrote {len(CASES)} interop vectors to {HERE}")


if __name__ == "__main__":
    main()
