package routes.images;

import java.nio.charset.StandardCharsets;
import routes.access.Caller;
import routes.assets.Asset;
import routes.assets.AssetService;
import routes.assets.AssetStatus;
import routes.assets.ObjectKeys;
import routes.problems.Refusal;

/**
 * Signed {@code /img} URLs of a person's own images, for clients that cannot sign (the key is the server's): the
 * options are read by the image URL parser ({@link ImageOptionsParser}), so a URL made here is one {@code /img}
 * serves, and options it would refuse are refused here with the same 400.
 */
public class ImageUrls {

    private final AssetService assets;
    private final ImageOptionsParser parser;
    private final UrlSigner signer;
    private final boolean presetsOnly;

    public ImageUrls(AssetService assets, ImageOptionsParser parser, UrlSigner signer, boolean presetsOnly) {
        this.assets = assets;
        this.parser = parser;
        this.signer = signer;
        this.presetsOnly = presetsOnly;
    }

    /** {@code POST /assets/{id}/image-urls}: the options, in the {@code /img} grammar ({@code w:320,f:webp}). */
    public record ImageUrlRequest(String options) {
    }

    /** A signed URL on this server ({@code url}, a path: {@code /img/{signature}/{options}/{key}}) and its options. */
    public record ImageUrl(String url, String options) {
    }

    /**
     * The signed URL of the caller's image {@code assetId} made with {@code request}'s options: another's asset is
     * 404, as a missing one; one that is not an image is 422, one not uploaded yet 409; bad options are the 400 the
     * URL itself would get.
     */
    public ImageUrl sign(String assetId, ImageUrlRequest request, Caller caller) {
        Asset asset = assets.find(assetId, caller);
        if (request == null || request.options() == null) {
            throw Refusal.invalid("missing-options", "a JSON body {\"options\": \"w:320,h:200,fit:fill,f:webp,q:80\"}"
                    + " is required (\"-\" for the original as it is)");
        }
        if (!"image".equals(asset.mediaKind())) {
            throw new Refusal(Refusal.Kind.UNPROCESSABLE, "not-an-image", "Not an image", "asset " + asset.id()
                    + " is " + (asset.mediaKind() == null ? "not an image" : asset.mediaKind())
                    + ": image URLs are made of images");
        }
        if (asset.status() != AssetStatus.READY || asset.originalKey() == null
                || !asset.originalKey().startsWith(ObjectKeys.ORIGINALS)) {
            throw Refusal.conflict("asset-not-ready", "asset " + asset.id() + " has not been uploaded yet");
        }
        String options = request.options().strip();
        if (options.isEmpty()) {
            options = "-";
        }
        parser.parse(options);
        if (presetsOnly && !options.matches("preset:[A-Za-z0-9_-]+")) {
            throw ImageProblem.badOptions("Only presets are served here: use preset:NAME.");
        }
        String path = encode(options, "") + "/"
                + encode(asset.originalKey().substring(ObjectKeys.ORIGINALS.length()), "/");
        return new ImageUrl("/img/" + signer.sign(path) + "/" + path, options);
    }

    /**
     * A path's text as it is sent: letters, digits, {@code -._~:,} and {@code kept} as they are, everything else
     * percent-encoded (UTF-8), which {@code /img} decodes before it reads the options and the key.
     */
    static String encode(String text, String kept) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:,".indexOf(c) >= 0
                    || kept.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
