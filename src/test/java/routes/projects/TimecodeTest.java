package routes.projects;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimecodeTest {

    @Test
    void ratesAreReadAsTheirTimecodes() {
        assertThat(Timecode.of(25)).isEqualTo(new Timecode(25, 25, false));
        assertThat(Timecode.of(29.97).dropFrame()).isTrue();
        assertThat(Timecode.of(30000.0 / 1001).nominal()).isEqualTo(30);
        assertThat(Timecode.of(59.94).dropFrame()).isTrue();
        assertThat(Timecode.of(23.976).dropFrame()).isFalse();
        assertThat(Timecode.of(23.976).nominal()).isEqualTo(24);
        assertThat(Timecode.of(0).nominal()).isEqualTo(25);
    }

    @Test
    void dropFrameSkipsTwoFrameNumbersAMinuteButEveryTenth() {
        Timecode df = Timecode.of(29.97);
        // the published landmarks of 29.97 drop-frame
        assertThat(df.format(0)).isEqualTo("00:00:00;00");
        assertThat(df.format(1799)).isEqualTo("00:00:59;29");
        assertThat(df.format(1800)).isEqualTo("00:01:00;02");
        assertThat(df.format(17982)).isEqualTo("00:10:00;00");
        assertThat(df.format(107892)).isEqualTo("01:00:00;00");
        for (long f = 0; f < 200_000; f += 37) {
            assertThat(df.parse(df.format(f))).isEqualTo(f);
        }
        // an hour of timecode is an hour of the clock, within a frame
        assertThat(df.seconds(df.parse("01:00:00;00"))).isCloseTo(3600, org.assertj.core.data.Offset.offset(0.04));
        Timecode df60 = Timecode.of(59.94);
        assertThat(df60.format(3600)).isEqualTo("00:01:00;04");
        assertThat(df60.parse(df60.format(123_457))).isEqualTo(123_457);
    }

    @Test
    void nonDropTimecodeCountsEveryFrame() {
        Timecode pal = Timecode.of(25);
        assertThat(pal.format(pal.frames(3661.5))).isEqualTo("01:01:01:13");
        assertThat(pal.parse("10:00:00:00")).isEqualTo(900_000);
        assertThat(pal.parse("00:00:00:25")).isEqualTo(-1);
        assertThat(pal.parse("nonsense")).isEqualTo(-1);
        assertThat(Timecode.of(23.976).format(24)).isEqualTo("00:00:01:00");
        assertThat(pal.format(24L * 3600 * 25 + 1)).isEqualTo("00:00:00:01");
    }
}
