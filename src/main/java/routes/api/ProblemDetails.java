package routes.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every refusal of the API, an RFC 9457 problem details document ({@code application/problem+json}) as
 * {@link ProblemResponder} writes it. It is the model of the problem responses in the API's OpenAPI description
 * (routes.yaml's {@code rest:} block); the routes never build one.
 */
@Schema(description = "An RFC 9457 problem details document: why the request was refused.")
public record ProblemDetails(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "/problems/not-found",
                description = "What kind of problem it is: /problems/ and a slug naming it (not-found, too-large,"
                        + " malformed-json, unsupported-media-type...).")
        String type,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Not found",
                description = "A short summary of the kind of problem.")
        String title,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "404",
                description = "The HTTP status of the response.")
        int status,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What was wrong with this request.",
                example = "asset 3f2b1c9e-5d4a-4e8b-9c1d-2a7e6f0b8c3d does not exist")
        String detail,
        @Schema(description = "The path of the request refused.",
                example = "/api/v1/assets/3f2b1c9e-5d4a-4e8b-9c1d-2a7e6f0b8c3d")
        String instance) {
}
