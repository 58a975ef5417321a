package routes.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Page cursors of index queries: the last key a page read (the item's {@code id} and {@code createdAt}), as URL-safe
 * base64. The partition of the query is not in it: it comes from the query, so a cursor cannot widen what is read.
 */
final class Cursors {

    private Cursors() {
    }

    static String encode(Map<String, AttributeValue> lastKey) {
        String text = lastKey.get("id").s() + "\n" + lastKey.get("createdAt").s();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String cursor, String partitionKey, String partitionValue) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("cursor is not one this API handed out");
        }
        return Map.of("id", AttributeValue.fromS(parts[0]), "createdAt", AttributeValue.fromS(parts[1]),
                partitionKey, AttributeValue.fromS(partitionValue));
    }
}
