package routes.media;

import java.net.URI;

/** Where the speech-to-text server is: {@code caravan.stt.endpoint}, or the embedded one. Null: none configured. */
public record SttEndpoint(URI uri) {
}
