package routes.images;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The HTTP header filter of the image routes: as Camel's, but a rendition's {@code Cache-Control} reaches the
 * client (Camel drops it by default).
 */
public class ImageHeaderFilter extends HttpHeaderFilterStrategy {

    @Override
    protected void initialize() {
        super.initialize();
        getOutFilter().remove("cache-control");
        getOutFilter().remove("Cache-Control");
    }
}
