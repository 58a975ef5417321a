package routes.embedded.sns;

import java.util.Map;

/** Builds the XML documents of the SNS query protocol. */
final class XmlWriter {

    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

    private final StringBuilder xml = new StringBuilder();

    XmlWriter open(String name) {
        xml.append('<').append(name).append('>');
        return this;
    }

    XmlWriter close(String name) {
        xml.append("</").append(name).append('>');
        return this;
    }

    /** Writes {@code <name>value</name>}; writes nothing when the value is null. */
    XmlWriter element(String name, String value) {
        if (value != null) {
            open(name);
            xml.append(escape(value));
            close(name);
        }
        return this;
    }

    /** Appends what another writer wrote. */
    XmlWriter append(XmlWriter other) {
        xml.append(other.xml);
        return this;
    }

    /** Writes a query-protocol map: {@code <name><entry><key>k</key><value>v</value></entry>...</name>}. */
    XmlWriter map(String name, Map<String, String> entries) {
        open(name);
        entries.forEach((key, value) -> open("entry").element("key", key).element("value", value).close("entry"));
        return close(name);
    }

    /**
     * A successful reply: {@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...}.
     * The result element comes first, as the SDK reads the first child of the response as the result.
     * A null result (actions that return nothing) leaves the result element out.
     */
    static String response(String action, XmlWriter result, String requestId) {
        XmlWriter doc = new XmlWriter();
        doc.xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        doc.xml.append('<').append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
        if (result != null) {
            doc.open(action + "Result");
            doc.xml.append(result.xml);
            doc.close(action + "Result");
        }
        doc.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
        doc.close(action + "Response");
        return doc.xml.toString();
    }

    static String error(SnsException error, String requestId) {
        XmlWriter doc = new XmlWriter();
        doc.xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        doc.xml.append("<ErrorResponse xmlns=\"").append(NAMESPACE).append("\">");
        doc.open("Error")
                .element("Type", error.faultType())
                .element("Code", error.code())
                .element("Message", error.getMessage())
                .close("Error");
        doc.element("RequestId", requestId);
        doc.close("ErrorResponse");
        return doc.xml.toString();
    }

    /** Escapes markup characters; characters XML 1.0 cannot carry at all become U+FFFD. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\n', '\t' -> out.append(c);
                default -> out.append(c < 0x20 || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
