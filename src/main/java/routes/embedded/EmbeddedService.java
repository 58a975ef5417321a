package routes.embedded;

import java.net.URI;

/** One AWS-compatible server of the embedded stack. */
interface EmbeddedService {

    String name();

    void start() throws Exception;

    URI endpoint();

    void stop() throws Exception;
}
