package routes.images;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * The frames of an animated GIF as the viewer sees them, and an animated GIF written from frames, with the JDK's own
 * GIF reader and writer. Reading composites each frame onto the logical screen as its disposal method says (kept,
 * cleared to transparent, or restored to what was under it), so every frame comes out whole; writing gives each
 * frame its delay, clears it before the next (frames are whole, so transparency never shows the one before) and
 * loops for ever, as the source did unless it said otherwise.
 */
final class AnimatedGif {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

    /** A whole frame and how long it shows, in hundredths of a second. */
    record Frame(BufferedImage image, int delay) {
    }

    private AnimatedGif() {
    }

    /**
     * Hands the first {@code maxFrames} frames of the GIF in {@code file} to {@code each}, one at a time, each whole
     * and its own copy: no more than the canvas and one frame are held here, however many frames there are. A canvas
     * (the GIF's logical screen, or a frame placed beyond it) over {@code maxPixels} is a 422 decompression-bomb.
     */
    static void read(Path file, int maxFrames, long maxPixels, java.util.function.Consumer<Frame> each)
            throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(input, false, false);
            int width = 0;
            int height = 0;
            IIOMetadata stream = reader.getStreamMetadata();
            if (stream != null) {
                Node screen = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
                if (screen != null) {
                    width = number(screen, "logicalScreenWidth", 0);
                    height = number(screen, "logicalScreenHeight", 0);
                }
            }
            BufferedImage canvas = null;
            for (int i = 0; i < maxFrames; i++) {
                BufferedImage part;
                IIOMetadata metadata;
                try {
                    part = reader.read(i);
                    metadata = reader.getImageMetadata(i);
                } catch (IndexOutOfBoundsException e) {
                    break;
                }
                Node tree = metadata.getAsTree(FORMAT);
                Node descriptor = child(tree, "ImageDescriptor");
                int left = descriptor == null ? 0 : number(descriptor, "imageLeftPosition", 0);
                int top = descriptor == null ? 0 : number(descriptor, "imageTopPosition", 0);
                if (canvas == null) {
                    int w = Math.max(width, left + part.getWidth());
                    int h = Math.max(height, top + part.getHeight());
                    if ((long) w * h > maxPixels) {
                        throw new ImageProblem(ImageProblem.Kind.DECOMPRESSION_BOMB, "The GIF's screen is " + w + "x" + h
                                + ", over the limit of " + maxPixels + " pixels.");
                    }
                    canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
                } else if (left + part.getWidth() > canvas.getWidth() || top + part.getHeight() > canvas.getHeight()) {
                    throw ImageProblem.corrupt("A frame of the GIF lies outside its screen.", null);
                }
                Node control = child(tree, "GraphicControlExtension");
                String disposal = control == null ? "none" : attribute(control, "disposalMethod", "none");
                int delay = control == null ? 0 : number(control, "delayTime", 0);
                BufferedImage before = disposal.equals("restoreToPrevious") ? Pixels.argbCopy(canvas) : null;
                Graphics2D g = canvas.createGraphics();
                g.drawImage(part, left, top, null);
                g.dispose();
                each.accept(new Frame(Pixels.argbCopy(canvas), delay));
                if (disposal.equals("restoreToBackgroundColor")) {
                    Graphics2D clear = canvas.createGraphics();
                    clear.setComposite(AlphaComposite.Clear);
                    clear.fillRect(left, top, part.getWidth(), part.getHeight());
                    clear.dispose();
                } else if (before != null) {
                    canvas = before;
                }
            }
        } finally {
            reader.dispose();
        }
    }

    /** Writes {@code frames} as an animated GIF that loops for ever. */
    static void write(List<Frame> frames, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(output);
            writer.prepareWriteSequence(null);
            boolean first = true;
            for (Frame frame : frames) {
                BufferedImage image = frame.image();
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                        null);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
                IIOMetadataNode control = node(root, "GraphicControlExtension");
                control.setAttribute("disposalMethod", "restoreToBackgroundColor");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", control.getAttribute("transparentColorFlag").isEmpty()
                        ? "FALSE" : control.getAttribute("transparentColorFlag"));
                control.setAttribute("delayTime", Integer.toString(frame.delay()));
                if (control.getAttribute("transparentColorIndex").isEmpty()) {
                    control.setAttribute("transparentColorIndex", "0");
                }
                if (first) {
                    IIOMetadataNode extensions = node(root, "ApplicationExtensions");
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0});
                    extensions.appendChild(loop);
                    first = false;
                }
                metadata.setFromTree(FORMAT, root);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode node(IIOMetadataNode root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return (IIOMetadataNode) n;
            }
        }
        IIOMetadataNode created = new IIOMetadataNode(name);
        root.appendChild(created);
        return created;
    }

    private static Node child(Node root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private static String attribute(Node node, String name, String fallback) {
        Node value = node.getAttributes().getNamedItem(name);
        return value == null ? fallback : value.getNodeValue();
    }

    private static int number(Node node, String name, int fallback) {
        try {
            return Integer.parseInt(attribute(node, name, Integer.toString(fallback)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
