// The JDK's XML-DSig (javax.xml.crypto, Apache Santuario inside the JDK) verifying an envelope
// signature: signing_bench's peer. A program, not a test; run by signing_bench as
//   java bench/jdk/EnvelopeVerify.java PACKAGE SECONDS
// It parses the package, finds the Signature, takes the key from the KeyInfo certificate and
// validates the signature (Reference and SignatureValue; no chain check), warm (after two
// warm-up passes of the same length), and prints the best rate over one-tenth slices.
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.cert.X509Certificate;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public final class EnvelopeVerify {
  static final class FromKeyInfo extends KeySelector {
    @Override
    public KeySelectorResult select(KeyInfo info, Purpose purpose, AlgorithmMethod method,
        XMLCryptoContext context) {
      for (Object item : info.getContent()) {
        if (!(item instanceof X509Data)) continue;
        for (Object o : ((X509Data) item).getContent()) {
          if (o instanceof X509Certificate) {
            Key key = ((X509Certificate) o).getPublicKey();
            return () -> key;
          }
        }
      }
      throw new IllegalStateException("no certificate in KeyInfo");
    }
  }

  static boolean verify(byte[] bytes, DocumentBuilder builder, XMLSignatureFactory fac)
      throws Exception {
    builder.reset();
    Document doc = builder.parse(new ByteArrayInputStream(bytes));
    NodeList nl = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
    DOMValidateContext ctx = new DOMValidateContext(new FromKeyInfo(), nl.item(0));
    return fac.unmarshalXMLSignature(ctx).validate(ctx);
  }

  public static void main(String[] args) throws Exception {
    byte[] bytes = Files.readAllBytes(Path.of(args[0]));
    double seconds = Double.parseDouble(args[1]);
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setNamespaceAware(true);
    DocumentBuilder builder = dbf.newDocumentBuilder();
    XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
    for (int pass = 0; pass < 3; ++pass) {  // the first passes warm the JIT
      double best = 0;
      for (int slice = 0; slice < 10; ++slice) {
        long start = System.nanoTime(), end = start + (long) (seconds * 1e8);
        int n = 0;
        while (System.nanoTime() < end) {
          if (!verify(bytes, builder, fac)) throw new IllegalStateException("signature invalid");
          ++n;
        }
        best = Math.max(best, n / ((System.nanoTime() - start) / 1e9));
      }
      if (pass == 2) System.out.printf("%.0f%n", best);
    }
  }
}
