package routes.images;

import javax.imageio.spi.IIORegistry;

/** Puts the AVIF/HEIC reader and the AVIF writer into ImageIO's registry, each when its libheif tool is installed. */
final class HeifPlugins {

    private static boolean registered;

    private HeifPlugins() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        IIORegistry registry = IIORegistry.getDefaultInstance();
        if (ImageTools.canDecode()) {
            registry.registerServiceProvider(new HeifImageReader.Spi());
        }
        if (ImageTools.canEncode()) {
            registry.registerServiceProvider(new AvifImageWriter.Spi());
        }
        registered = true;
    }
}
