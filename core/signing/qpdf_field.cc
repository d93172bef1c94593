#include "core/signing/qpdf_field.h"

#include <exception>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <vector>

namespace vxp::signing {

bool AddSignatureField(std::string_view pdf, const std::string& sub_filter,
                       const std::string& range_placeholder, const std::string& pdf_date,
                       std::size_t contents_bytes, std::string* out, std::string* error) {
  try {
    QPDF q;
    q.setSuppressWarnings(true);
    q.processMemoryFile("input.pdf", pdf.data(), pdf.size());
    const std::vector<QPDFObjectHandle>& pages = q.getAllPages();
    if (pages.empty()) {
      *error = "the PDF has no page to sign";
      return false;
    }
    QPDFObjectHandle page = pages.front();
    QPDFObjectHandle sig = q.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + sub_filter +
                                " /ByteRange " + range_placeholder + " >>"));
    sig.replaceKey("/M", QPDFObjectHandle::newString(pdf_date));
    sig.replaceKey("/Contents", QPDFObjectHandle::newString(std::string(contents_bytes, '\0')));
    QPDFObjectHandle widget = q.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 "
                                "/T (vxpkit-signature) >>"));
    widget.replaceKey("/V", sig);
    widget.replaceKey("/P", page);
    if (!page.getKey("/Annots").isArray()) page.replaceKey("/Annots", QPDFObjectHandle::newArray());
    page.getKey("/Annots").appendItem(widget);
    QPDFObjectHandle root = q.getRoot();
    QPDFObjectHandle form = root.getKey("/AcroForm");
    if (!form.isDictionary()) {
      form = q.makeIndirectObject(QPDFObjectHandle::newDictionary());
      root.replaceKey("/AcroForm", form);
    }
    if (!form.getKey("/Fields").isArray()) form.replaceKey("/Fields", QPDFObjectHandle::newArray());
    form.getKey("/Fields").appendItem(widget);
    form.replaceKey("/SigFlags", QPDFObjectHandle::newInteger(3));
    QPDFWriter w(q);
    w.setOutputMemory();
    w.setDeterministicID(true);
    w.setObjectStreamMode(qpdf_o_disable);  // the signature dictionary must be in plain bytes
    w.setCompressStreams(false);            // streams stay as they came
    w.setDecodeLevel(qpdf_dl_none);
    w.write();
    std::shared_ptr<Buffer> buffer = w.getBufferSharedPointer();
    out->assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
    return true;
  } catch (const std::exception& e) {
    *error = std::string("qpdf cannot read or write the PDF: ") + e.what();
    return false;
  }
}

}  // namespace vxp::signing
