package routes.embedded.identity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The people who can sign in to the embedded identity provider, kept in {@code {data-dir}/identity/users.json}: each
 * with a name, a password hash ({@code {bcrypt}...}, Spring's DelegatingPasswordEncoder) and roles ({@code user},
 * and {@code admin} for admins). The running app reads the file again whenever it has changed, so a user added by
 * {@link AddUser} (another process) can sign in at once.
 */
public final class Users implements UserDetailsService {

    /** The user made on first start, whose password is kept in {@code {data-dir}/secrets/admin-password}. */
    public static final String ADMIN = "admin";
    public static final String ROLE_USER = "user";
    public static final String ROLE_ADMIN = "admin";

    private static final Logger LOG = LoggerFactory.getLogger(Users.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One user as the file holds it. */
    record Account(String name, String password, List<String> roles) {
    }

    /** The file: {@code {"users": [...]}}. */
    record UsersFile(List<Account> users) {
    }

    /** What was read, and the file's attributes when it was. */
    private record Snapshot(Object version, Map<String, Account> accounts) {
    }

    private final Path file;
    private Snapshot snapshot = new Snapshot(null, Map.of());

    public Users(Path dataDir) {
        this.file = file(dataDir);
    }

    /** {@code {data-dir}/identity/users.json} */
    public static Path file(Path dataDir) {
        return dataDir.resolve("identity").resolve("users.json");
    }

    /** {@code {data-dir}/secrets/admin-password} */
    public static Path adminPasswordFile(Path dataDir) {
        return dataDir.resolve("secrets").resolve("admin-password");
    }

    /**
     * Makes the users file with the {@code admin} user when there is none yet: a random password, written to
     * {@link #adminPasswordFile}. Returns whether it did.
     */
    public static synchronized boolean init(Path dataDir) throws IOException {
        try (FileChannel channel = lockFile(dataDir); FileLock lock = channel.lock()) {
            return initLocked(dataDir);
        }
    }

    /**
     * Adds a user with a random password and returns the password (it is kept nowhere else). An admin has the roles
     * {@code admin} and {@code user}, anyone else {@code user}. Makes the users file (with {@code admin}) when there is
     * none yet. Works whether or not the app runs: the app reads the file again when it changes.
     *
     * @throws IllegalArgumentException when the name is not a user name or the user exists
     */
    public static synchronized String add(Path dataDir, String name, boolean admin) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a user name is 1 to 64 letters, digits, '.', '_', '@' or '-', "
                    + "starting with a letter or digit: " + name);
        }
        try (FileChannel channel = lockFile(dataDir); FileLock lock = channel.lock()) {
            initLocked(dataDir);
            List<Account> accounts = new ArrayList<>(read(file(dataDir)).values());
            if (accounts.stream().anyMatch(a -> a.name().equals(name))) {
                throw new IllegalArgumentException("the user " + name + " exists already");
            }
            String password = SecretFiles.newPassword();
            accounts.add(new Account(name, PASSWORDS.encode(password),
                    admin ? List.of(ROLE_ADMIN, ROLE_USER) : List.of(ROLE_USER)));
            SecretFiles.write(file(dataDir), JSON.writeValueAsString(new UsersFile(accounts)));
            return password;
        }
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        Account account = current().get(name);
        if (account == null) {
            throw new UsernameNotFoundException("no such user");
        }
        return User.withUsername(account.name()).password(account.password())
                .roles(account.roles().toArray(String[]::new)).build();
    }

    /** The roles of a user as the file has them now; empty when there is no such user. */
    public Optional<List<String>> roles(String name) {
        return Optional.ofNullable(current().get(name)).map(Account::roles);
    }

    /** The users as the file has them now: read again when its attributes (time, size, identity) have changed. */
    private synchronized Map<String, Account> current() {
        Object version;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            version = List.of(attributes.lastModifiedTime(), attributes.size(),
                    Objects.requireNonNullElse(attributes.fileKey(), ""));
        } catch (NoSuchFileException e) {
            version = "missing";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!version.equals(snapshot.version())) {
            try {
                Map<String, Account> accounts = "missing".equals(version) ? Map.of() : read(file);
                if (snapshot.version() != null) {
                    LOG.info("read the users of the embedded identity provider again: {} users in {}",
                            accounts.size(), file.toAbsolutePath());
                }
                snapshot = new Snapshot(version, accounts);
            } catch (IOException e) {
                // a file being edited by hand: keep what was read before, and say so once per change
                LOG.warn("cannot read {} ({}); the users read before still apply", file.toAbsolutePath(),
                        e.getMessage());
                snapshot = new Snapshot(version, snapshot.accounts());
            }
        }
        return snapshot.accounts();
    }

    private static boolean initLocked(Path dataDir) throws IOException {
        Path users = file(dataDir);
        if (Files.exists(users)) {
            return false;
        }
        String password = SecretFiles.newPassword();
        SecretFiles.write(adminPasswordFile(dataDir), password);
        Account admin = new Account(ADMIN, PASSWORDS.encode(password), List.of(ROLE_ADMIN, ROLE_USER));
        SecretFiles.write(users, JSON.writeValueAsString(new UsersFile(List.of(admin))));
        return true;
    }

    private static Map<String, Account> read(Path file) throws IOException {
        UsersFile parsed = JSON.readValue(file.toFile(), UsersFile.class);
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (Account account : parsed.users() == null ? List.<Account>of() : parsed.users()) {
            if (account.name() == null || account.password() == null) {
                throw new IOException("a user without a name or a password");
            }
            accounts.put(account.name(), new Account(account.name(), account.password(),
                    account.roles() == null ? List.of() : List.copyOf(account.roles())));
        }
        return accounts;
    }

    /** Writers (the app's first start, {@link AddUser}) take turns through a lock on a file beside the users file. */
    private static FileChannel lockFile(Path dataDir) throws IOException {
        Path lockFile = file(dataDir).resolveSibling("users.lock");
        Files.createDirectories(lockFile.getParent());
        return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
}
