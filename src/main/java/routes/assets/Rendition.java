package routes.assets;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something made from an asset's original and stored under {@code key}: a rung of the ladder, a poster, a thumbnail
 * (at {@code seconds} into the video), an HLS package (with its {@code variants}), speech audio, a transcript (with
 * its {@code words} and {@code language}), an image rendition (with its {@code format} and {@code bytes}). Fields that
 * do not apply are left out. {@code url} is filled in only when the asset is shown to a client.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rendition(String name, String key, String contentType, Integer width, Integer height, Double seconds,
        Integer variants, Integer words, String language, String format, Long bytes, String url) {

    /** A rendition with a name, a key and a content type, nothing else known. */
    public static Rendition of(String name, String key, String contentType) {
        return new Rendition(name, key, contentType, null, null, null, null, null, null, null, null, null);
    }

    /** This one with its picture's size (nothing when either is not positive). */
    public Rendition sized(int w, int h) {
        return w <= 0 || h <= 0 ? this
                : new Rendition(name, key, contentType, w, h, seconds, variants, words, language, format, bytes, url);
    }

    /** This one taken {@code at} seconds into the video. */
    public Rendition at(double at) {
        return new Rendition(name, key, contentType, width, height, at, variants, words, language, format, bytes, url);
    }

    /** This one as a package of {@code count} variants (HLS). */
    public Rendition withVariants(int count) {
        return new Rendition(name, key, contentType, width, height, seconds, count, words, language, format, bytes, url);
    }

    /** This one as a transcript of {@code count} words in {@code lang}. */
    public Rendition transcript(int count, String lang) {
        return new Rendition(name, key, contentType, width, height, seconds, variants, count, lang, format, bytes, url);
    }

    /** This one as an encoded image: its format and its length. */
    public Rendition encoded(String imageFormat, long length) {
        return new Rendition(name, key, contentType, width, height, seconds, variants, words, language, imageFormat,
                length, url);
    }

    /** This one with a URL a client can fetch it from. */
    public Rendition withUrl(String link) {
        return new Rendition(name, key, contentType, width, height, seconds, variants, words, language, format, bytes,
                link);
    }
}
