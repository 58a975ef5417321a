package routes.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.stereotype.Component;

/**
 * The API's OpenAPI description, served at the rest configuration's {@code apiContextPath}
 * ({@code /api/v1/openapi.json}). camel-openapi-java reads it from the REST DSL (routes.yaml's {@code rest:} block:
 * operations, parameters, body types and response messages, with the title, version and description of
 * {@code camel.rest.api-property}); this adds what the REST DSL has no words for, since it gives every response of an
 * operation the media types the operation {@code produces}:
 * <ul>
 * <li>a refusal (a response of status 400 or more) is {@code application/problem+json} only, with the model its
 * response message names ({@link ProblemDetails});</li>
 * <li>a body that is not JSON (a transcript as subtitles or text, the raw bytes of an upload) is a string, not the
 * JSON document of the operation's type;</li>
 * <li>a {@code multipart/form-data} upload is a form with a file part;</li>
 * <li>a value of any type ({@code Object}, as in the {@code Map<String, Object>} of a job's operations) is any JSON
 * value, not only an object;</li>
 * <li>the server is the one serving the description (no {@code servers}), not a host name guessed at start.</li>
 * </ul>
 * It is made once, by the first request for it (about a second of CPU that a worker, which never serves it, no
 * longer spends at every start), and served as it is; OpenApiTest reads it, so a REST DSL the reader cannot describe
 * fails the build.
 */
@Component
public class OpenApiDescription implements RestApiProcessorFactory {

    @Override
    public Processor createApiProcessor(CamelContext camelContext, String contextPath, RestConfiguration configuration,
            Map<String, Object> parameters) {
        Map<String, Object> options = new HashMap<>(parameters);
        if (configuration.getApiProperties() != null) {
            options.putAll(configuration.getApiProperties());
        }
        BeanConfig config = new BeanConfig();
        new RestOpenApiSupport().initOpenApi(config, options);
        return new Served(camelContext, config, configuration.isApiVendorExtension());
    }

    /** The description as JSON, made by the first request and served as it is. */
    private static final class Served extends ServiceSupport implements Processor {

        private final CamelContext camel;
        private final BeanConfig config;
        private final boolean vendorExtensions;
        private byte[] json;

        Served(CamelContext camel, BeanConfig config, boolean vendorExtensions) {
            this.camel = camel;
            this.config = config;
            this.vendorExtensions = vendorExtensions;
        }

        /** The description, made by the first request for it (a worker never makes it: its starts stay short). */
        private synchronized byte[] json() throws Exception {
            if (json == null) {
                OpenAPI api = new RestOpenApiReader().read(camel, new RestOpenApiSupport().getRestDefinitions(camel),
                        config, camel.getName(), camel.getClassResolver());
                if (!vendorExtensions) {
                    OpenApiHelper.clearVendorExtensions(api);
                }
                json = RestOpenApiSupport.getJsonFromOpenAPIAsString(finish(api), config)
                        .getBytes(StandardCharsets.UTF_8);
            }
            return json;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            byte[] description = json();
            Message message = exchange.getMessage();
            message.removeHeaders("*");
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(description);
        }
    }

    /** Camel's description of the REST DSL with what the DSL cannot say. */
    static OpenAPI finish(OpenAPI api) {
        api.setServers(null);
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().values().forEach(OpenApiDescription::anyValueForObject);
        }
        for (PathItem path : api.getPaths().values()) {
            for (Operation operation : path.readOperations()) {
                if (operation.getRequestBody() != null) {
                    describeBodies(operation.getRequestBody().getContent());
                }
                operation.getResponses().forEach((code, response) -> {
                    if (isRefusal(code)) {
                        problemOnly(response);
                    } else {
                        describeBodies(response.getContent());
                    }
                });
            }
        }
        return api;
    }

    /** The parts of {@code schema} read from {@code Object} (a bare {@code type: object}) take any JSON value. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void anyValueForObject(Schema schema) {
        if (schema.getProperties() != null) {
            ((Map<String, Schema>) schema.getProperties()).replaceAll((name, property) -> anyIfObject(property));
        }
        if (schema.getItems() != null) {
            schema.setItems(anyIfObject(schema.getItems()));
        }
        if (schema.getAdditionalProperties() instanceof Schema values) {
            schema.setAdditionalProperties(anyIfObject(values));
        }
    }

    @SuppressWarnings("rawtypes")
    private static Schema anyIfObject(Schema schema) {
        boolean bareObject = "object".equals(schema.getType()) && schema.get$ref() == null
                && schema.getProperties() == null && schema.getAdditionalProperties() == null;
        if (bareObject) {
            return new Schema<>().description("Any JSON value.");
        }
        anyValueForObject(schema);
        return schema;
    }

    private static boolean isRefusal(String code) {
        return code.length() == 3 && code.charAt(0) >= '4' && code.charAt(0) <= '5';
    }

    /**
     * A refusal is problem+json whatever the operation produces, with the model of its response message, or
     * {@link ProblemDetails} when the operation produces nothing else (the reader gives a response a body only in the
     * media types the operation produces).
     */
    private static void problemOnly(ApiResponse response) {
        Content content = response.getContent();
        Schema<?> problem = content == null || content.isEmpty()
                ? new Schema<>().$ref(ProblemDetails.class.getSimpleName())
                : content.values().iterator().next().getSchema();
        response.setContent(new Content().addMediaType(ProblemResponder.CONTENT_TYPE, new MediaType().schema(problem)));
    }

    /** Bodies in JSON keep the schema of their type; a form has a file part; any other body is its bytes. */
    private static void describeBodies(Content content) {
        if (content == null) {
            return;
        }
        content.forEach((type, media) -> {
            String mediaType = type.toLowerCase(Locale.ROOT);
            if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
                return;
            }
            if (mediaType.equals("multipart/form-data")) {
                media.setSchema(new ObjectSchema()
                        .description("A form whose first file part is the upload (any field name); its file name and"
                                + " Content-Type name the file and its media type.")
                        .addProperty("file", new BinarySchema()));
            } else if (mediaType.startsWith("text/") || mediaType.equals("application/x-subrip")) {
                media.setSchema(new StringSchema());
            } else {
                media.setSchema(new BinarySchema());
            }
        });
    }
}
