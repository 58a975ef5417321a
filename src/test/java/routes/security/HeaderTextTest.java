package routes.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's header rule, as a loop, agrees with Spring Security's regular expression on every code point. */
class HeaderTextTest {

    /** StrictHttpFirewall's own pattern for header names and values. */
    static final Pattern SPRING = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void everyCodePointIsJudgedAsSpringSecurityJudgesIt() {
        int differences = 0;
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String text = "a" + new String(Character.toChars(c)) + "b";
            if (HeaderText.allowed(text) != SPRING.matcher(text).matches()) {
                differences++;
            }
        }
        assertThat(differences).isZero();
    }

    @Test
    void aTokenIsAllowedAndALoneSurrogateOrAControlCharacterIsNot() {
        assertThat(HeaderText.allowed("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln")).isTrue();
        assertThat(HeaderText.allowed("")).isTrue();
        assertThat(HeaderText.allowed("a\r\nb")).isFalse();
        assertThat(HeaderText.allowed("a\u0000")).isFalse();
        assertThat(HeaderText.allowed("a\u0085")).isFalse();
        assertThat(HeaderText.allowed("a\u0378")).isFalse();
        for (String loneSurrogate : new String[] {"a\ud800", "\udc00b"}) {
            assertThat(HeaderText.allowed(loneSurrogate)).isEqualTo(SPRING.matcher(loneSurrogate).matches());
        }
    }
}
