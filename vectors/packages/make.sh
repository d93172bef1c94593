#!/usr/bin/env bash
# Regenerates the sample packages of this directory and their expectations.
#   vectors/packages/make.sh build/bin/vxpkit
# Valid packages come from `vxpkit sample`; each defective one is a valid package with one
# hand-made defect. Expectations are written here by hand (never copied from vxpkit's output):
# the test tests/vectors_test.cc judges every package and compares. Pinned date: 2026/11/21.
set -euo pipefail
vxpkit=${1:?usage: make.sh path/to/vxpkit}
cd "$(dirname "$0")"
rm -f ./*.xml ./*.expect.json

# expect NAME KIND VERDICT [RULE_ID...]: writes NAME.expect.json
expect() {
  local name=$1 kind=$2 verdict=$3; shift 3
  local ids="" id
  for id in "$@"; do ids+="${ids:+, }\"$id\""; done
  printf '{"kind": "%s", "verdict": "%s", "rule_ids": [%s], "mode": "strict", "today": "2026/11/21"}\n' \
    "$kind" "$verdict" "$ids" > "$name.expect.json"
}

# Valid packages of every business type and every status code.
for t in document revoke update replace; do
  "$vxpkit" sample "$t" > "document-$t.xml"; expect "document-$t" document PASS
done
for c in 01 02 03 04 05 06 13 15 16; do
  "$vxpkit" sample status "$c" > "status-$c.xml"; expect "status-$c" status PASS
done

# The layout real producers use: default namespace only, no prefixes, MessageHeader children
# in another order. Accepted, with a warning for the order.
sed -e 's/edXML://g; s/ xmlns:edXML="[^"]*"//' document-document.xml > tmp.xml
# Two passes over tmp.xml: find MessageHeader's DocumentId, then print it first in MessageHeader.
awk 'NR == FNR { if (/^        <DocumentId>/) id = $0; next }
     /^        <DocumentId>/ { next }
     { print } /<MessageHeader>/ { print id }' tmp.xml tmp.xml > document-producer-layout.xml
rm tmp.xml
expect document-producer-layout document WARN EDXML-1-ORDER

d=document-document.xml
s03=status-03.xml
# One defect each.
sed '/<edXML:Subject>/d' $d > document-missing-subject.xml
expect document-missing-subject document FAIL EDXML-XSD
sed 's#<edXML:PromulgationDate>2026/11/20#<edXML:PromulgationDate>2026-11-20#' $d > document-bad-date.xml
expect document-bad-date document FAIL EDXML-HDR-1.4-DATE
sed 's#<edXML:PromulgationDate>2026/11/20#<edXML:PromulgationDate>2027/01/05#; s#G22,2026/11/20,#G22,2027/01/05,#' $d > document-future-date.xml
expect document-future-date document FAIL EDXML-HDR-1.4-FUTURE
sed '0,/<edXML:OrganId>000.00.00.H53/s##<edXML:OrganId>28.22.H53#' $d > document-bad-agency-id.xml
expect document-bad-agency-id document FAIL AGENCY-5-FORMAT
sed 's#<edXML:ContentId>cid:file1#<edXML:ContentId>cid:file2#' $d > document-manifest-without-attachment.xml
expect document-manifest-without-attachment document FAIL EDXML-ATT-6-MATCH EDXML-ATT-6-ORPHAN
sed 's#<ContentTransferEncoded>JVBER#<ContentTransferEncoded>%VBER#' $d > document-bad-base64.xml
expect document-bad-base64 document FAIL EDXML-ATT-6-BASE64
sed 's#http://www.mic.gov.vn/TBT/QCVN_102_2016#http://www.mic.gov.vn/TBT/QCVN_102_2015#g' $d > document-wrong-namespace.xml
expect document-wrong-namespace unknown FAIL EDXML-1-ROOT
awk '{ print } /<\/edXML:To>/ && !done { print "        <edXML:To>"; print "          <edXML:OrganId>000.00.00.H53</edXML:OrganId>"; print "          <edXML:OrganName>Ủy ban nhân dân tỉnh Tây Ninh</edXML:OrganName>"; print "        </edXML:To>"; done=1 }' $d > document-duplicate-to.xml
expect document-duplicate-to document FAIL EDXML-HDR-1.2-TO-DUP
sed 's#<edXML:Priority>1#<edXML:Priority>9#' $d > document-bad-priority.xml
expect document-bad-priority document FAIL EDXML-HDR-1.11-PRIORITY
sed 's#<edXML:DocumentId>000.00.00.G22,2026/11/20,7816/VPCP-TTĐT#<edXML:DocumentId>3f1c2a7e-0b7d-4b52-9a55-4c1c3c1f2e11#' $d > document-uuid-docid.xml
expect document-uuid-docid document WARN EDXML-HDR-1.14-DOCID-FORM
sed '/<edXML:BussinessDocumentInfo>/,/<\/edXML:BussinessDocumentInfo>/d' document-update.xml > document-update-without-info.xml
expect document-update-without-info document FAIL EDXML-BUS-3-UPDATE
sed '/<edXML:ResponseFor>/,/<\/edXML:ResponseFor>/d' document-revoke.xml > document-revoke-without-target.xml
expect document-revoke-without-target document FAIL EDXML-BUS-3-REVOKE

sed '/<edXML:Description>/d' status-02.xml > status-02-without-reason.xml
expect status-02-without-reason status FAIL EDXML-4-STATUS-REASON
sed 's#<edXML:StatusCode>03#<edXML:StatusCode>07#' $s03 > status-unknown-code.xml
expect status-unknown-code status FAIL EDXML-4-STATUS-CODE
sed 's#<edXML:Timestamp>2026/11/20 09:00:00#<edXML:Timestamp>20/11/2026 9:00#' $s03 > status-bad-timestamp.xml
expect status-bad-timestamp status FAIL EDXML-4-STATUS-TIMESTAMP

# Hostile and foreign files.
cat > hostile-xxe.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE edXML [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope>&secret;</edXMLEnvelope></edXML>
XML
expect hostile-xxe unknown FAIL EDXML-XML-DTD
{
  echo '<?xml version="1.0"?>'
  echo '<!DOCTYPE lolz [<!ENTITY lol "lol">'
  prev=lol
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '<!ENTITY lol%s "' "$i"; for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done; echo '">'
    prev=lol$i
  done
  echo ']><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol9;</edXML>'
} > hostile-billion-laughs.xml
expect hostile-billion-laughs unknown FAIL EDXML-XML-DTD
head -c 2000 $d > malformed-truncated.xml
expect malformed-truncated unknown FAIL EDXML-XML-WELLFORMED
cat > legacy-edoc.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header>
    <edXML:MessageHeader xmlns:edXML="http://www.e-doc.vn/Schema/">
      <edXML:From><edXML:OrganId>000.00.00.H53</edXML:OrganId></edXML:From>
      <edXML:PromulgationDate>20/11/2015</edXML:PromulgationDate>
    </edXML:MessageHeader>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body/>
</SOAP-ENV:Envelope>
XML
expect legacy-edoc unknown FAIL EDXML-9-LEGACY-EDOC
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n' > not-xml-pdf.xml
expect not-xml-pdf unknown FAIL EDXML-XML-WELLFORMED
echo "regenerated $(ls ./*.xml | wc -l) packages in $(pwd)"
