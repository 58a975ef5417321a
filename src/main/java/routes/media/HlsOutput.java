package routes.media;

import java.nio.file.Path;
import java.util.List;

/**
 * An HLS package: the master playlist and, per rendition, its media playlist ({@code {name}.m3u8}) and segments
 * ({@code {name}_000.ts}, ...), all in one folder with relative references.
 *
 * @param master {@code master.m3u8}
 * @param playlists the media playlists, in the order of the renditions
 * @param files every file of the package, master and playlists included
 */
public record HlsOutput(Path master, List<Path> playlists, List<Path> files) {
}
