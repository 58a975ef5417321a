package routes.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The Authorization header's token, as Spring Security's own resolver reads it, but for API keys. */
class BearerTokensTest {

    static final String JWT = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl-_~+/==";

    final BearerTokens tokens = new BearerTokens();
    final DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();

    @Test
    void aTokenIsReadAsSpringSecurityReadsIt() {
        for (String header : new String[] {"Bearer " + JWT, "bearer " + JWT, "BEARER abc", "Bearer a.b.c=",
                "Basic dXNlcjpwYXNz", "Digest x", null}) {
            assertThat(tokens.resolve(request(header))).as(header).isEqualTo(spring.resolve(request(header)));
        }
    }

    @Test
    void aMalformedTokenIsRefusedAsSpringSecurityRefusesIt() {
        for (String header : new String[] {"Bearer ", "Bearer a b", "Bearer a\"b", "Bearer ==", "Bearer a=b",
                "Bearer é", "Bearer  abc"}) {
            assertThatThrownBy(() -> spring.resolve(request(header))).as("spring: " + header)
                    .isInstanceOf(OAuth2AuthenticationException.class);
            assertThatThrownBy(() -> tokens.resolve(request(header))).as(header)
                    .isInstanceOf(OAuth2AuthenticationException.class);
        }
    }

    @Test
    void anApiKeyIsLeftToTheApiKeyFilter() {
        assertThat(tokens.resolve(request("Bearer " + ApiKeys.PREFIX + "0123456789abcdef_abc"))).isNull();
    }

    private static MockHttpServletRequest request(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/jobs");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
