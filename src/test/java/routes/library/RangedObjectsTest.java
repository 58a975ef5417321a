package routes.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import routes.problems.Refusal;

class RangedObjectsTest {

    @Test
    void oneByteRangeIsServedAsAsked() {
        assertThat(RangedObjects.span("bytes=0-99", 1000)).containsExactly(0, 99);
        assertThat(RangedObjects.span("bytes=500-", 1000)).containsExactly(500, 999);
        assertThat(RangedObjects.span("bytes=-100", 1000)).containsExactly(900, 999);
        assertThat(RangedObjects.span("bytes=900-5000", 1000)).as("the end is cut to the file").containsExactly(900,
                999);
        assertThat(RangedObjects.span("bytes=-5000", 1000)).containsExactly(0, 999);
    }

    @Test
    void otherUnitsAndSeveralRangesGetTheWholeFile() {
        assertThat(RangedObjects.span("items=0-5", 1000)).isNull();
        assertThat(RangedObjects.span("bytes=0-1,5-6", 1000)).isNull();
    }

    @Test
    void rangesPastTheEndAndMalformedOnesAre416WithTheLength() {
        for (String bad : new String[] {"bytes=1000-", "bytes=2000-3000", "bytes=abc", "bytes=5-1", "bytes=-0",
                "bytes="}) {
            assertThatThrownBy(() -> RangedObjects.span(bad, 1000)).as(bad).isInstanceOfSatisfying(Refusal.class,
                    r -> {
                        assertThat(r.kind()).isEqualTo(Refusal.Kind.RANGE_NOT_SATISFIABLE);
                        assertThat(r.headers()).containsEntry("Content-Range", "bytes */1000");
                    });
        }
    }

    @Test
    void ifRangeAppliesTheRangeOnlyToTheSameFile() {
        Instant modified = Instant.parse("2026-12-05T09:39:11Z");
        assertThat(RangedObjects.matches(null, "\"abc\"", modified)).isTrue();
        assertThat(RangedObjects.matches("\"abc\"", "\"abc\"", modified)).isTrue();
        assertThat(RangedObjects.matches("abc", "\"abc\"", modified)).as("quotes dropped by a client").isTrue();
        assertThat(RangedObjects.matches("\"abd\"", "\"abc\"", modified)).isFalse();
        assertThat(RangedObjects.matches("W/\"abc\"", "\"abc\"", modified)).as("weak tags never match").isFalse();
        assertThat(RangedObjects.matches("Sat, 5 Dec 2026 09:39:11 GMT", "\"abc\"", modified)).isTrue();
        assertThat(RangedObjects.matches("Sat, 5 Dec 2026 09:39:12 GMT", "\"abc\"", modified)).isFalse();
    }
}
