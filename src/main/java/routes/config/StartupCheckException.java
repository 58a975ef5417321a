package routes.config;

/** A setting that keeps Caravan from starting; reported as one line that names the setting. */
public class StartupCheckException extends RuntimeException {

    private final String setting;

    public StartupCheckException(String setting, String problem, Throwable cause) {
        super(setting + ": " + problem, cause);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
