package routes.tools;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding the programs Caravan runs (ffmpeg, pocketsphinx, libheif's tools). */
public final class Executables {

    private Executables() {
    }

    /** {@code name} as a path (when it has a '/') or looked up on the {@code PATH}; null when not an executable file. */
    public static Path find(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
        }
        String pathEnv = System.getenv("PATH");
        if (pathEnv == null) {
            return null;
        }
        for (String dir : pathEnv.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
