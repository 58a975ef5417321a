package routes.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a failed start-up check into the setting and what is wrong with it, without a stack trace. */
public class StartupFailureAnalyzer extends AbstractFailureAnalyzer<StartupCheckException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupCheckException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the setting '" + cause.setting() + "' (application.yaml, a --" + cause.setting()
                        + "=... argument or its environment variable) and start again.",
                cause);
    }
}
