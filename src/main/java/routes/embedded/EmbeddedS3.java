package routes.embedded;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** S3: S3Proxy over a folder, with SigV2/SigV4 authentication, so presigned URLs are checked for real. */
final class EmbeddedS3 implements EmbeddedService {

    private final S3Proxy proxy;
    private final URI endpoint;

    EmbeddedS3(String host, int port, Path dir, String accessKey, String secretKey) throws Exception {
        Files.createDirectories(dir);
        this.endpoint = URI.create("http://" + host + ":" + port);
        this.proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void start() throws Exception {
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("S3Proxy failed to start on " + endpoint);
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void stop() throws Exception {
        proxy.stop();
    }
}
