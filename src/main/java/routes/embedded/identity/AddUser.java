package routes.embedded.identity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds a user to the embedded identity provider: {@code bin/caravan add-user NAME [--admin] [--data-dir DIR]}. It only
 * writes {@code {data-dir}/identity/users.json}, so it works whether or not the app runs (a running app reads the file
 * again). The generated password goes to standard output, once, and nowhere else; what was done goes to standard
 * error. The data folder is {@code --data-dir} (or {@code --caravan.data-dir}, as {@code bin/caravan run} takes it),
 * else {@code CARAVAN_DATA_DIR}, else {@code ./data}.
 */
public final class AddUser {

    private static final String USAGE = "usage: bin/caravan add-user NAME [--admin] [--data-dir DIR]";

    private AddUser() {
    }

    public static void main(String[] args) {
        // standard output carries the password alone: anything a library prints goes to standard error instead
        PrintStream out = System.out;
        System.setOut(System.err);
        String dataDir = System.getenv().getOrDefault("CARAVAN_DATA_DIR", "./data");
        boolean admin = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--admin")) {
                admin = true;
            } else if ((arg.equals("--data-dir") || arg.equals("--caravan.data-dir")) && i + 1 < args.length) {
                dataDir = args[++i];
            } else if (arg.startsWith("--data-dir=") || arg.startsWith("--caravan.data-dir=")) {
                dataDir = arg.substring(arg.indexOf('=') + 1);
            } else if (arg.startsWith("-")) {
                exit(2, "caravan: unknown option " + arg + "\n" + USAGE);
            } else {
                names.add(arg);
            }
        }
        if (names.size() != 1) {
            exit(2, USAGE);
        }
        String name = names.get(0);
        Path dir = Path.of(dataDir);
        try {
            if (Users.init(dir)) {
                System.err.println("caravan: made the users file with the admin user first; its password is in "
                        + Users.adminPasswordFile(dir));
            }
            String password = Users.add(dir, name, admin);
            System.err.println("caravan: added " + name + (admin ? " (admin)" : "") + " to " + Users.file(dir)
                    + "; a running app takes it at once. The password, shown this once:");
            out.println(password);
            out.flush();
        } catch (IllegalArgumentException e) {
            exit(1, "caravan: " + e.getMessage());
        } catch (IOException e) {
            exit(1, "caravan: cannot write the users of " + dir + ": " + e);
        }
    }

    private static void exit(int code, String message) {
        System.err.println(message);
        System.exit(code);
    }
}
