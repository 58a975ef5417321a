package routes.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import routes.problems.Refusal;

class MusicTagsTest {

    @Test
    void theTagsOfEachContainerAreReadWhateverTheirCase() {
        // ID3 as ffprobe names it, with the ISRC frame under its own name
        MusicTags mp3 = MusicTags.fromFile(Map.of("title", "Airbag", "artist", "Radiohead", "album", "OK Computer",
                "album_artist", "Radiohead", "track", "1/12", "disc", "1/1", "date", "1997-05-21", "genre",
                "Alternative", "TSRC", "GB-AYE-97-00001"));
        assertThat(mp3).isEqualTo(new MusicTags("Airbag", "Radiohead", "OK Computer", "Radiohead", 1, 1, 1997,
                "Alternative", null, "GBAYE9700001"));
        // Vorbis comments, upper case, with their own names
        MusicTags flac = MusicTags.fromFile(Map.of("TITLE", "Jóga", "ARTIST", "Björk", "ALBUMARTIST", "Björk",
                "TRACKNUMBER", "02", "DATE", "1997", "COMPOSER", "Björk", "ISRC", "gbaaa9700002"));
        assertThat(flac.track()).isEqualTo(2);
        assertThat(flac.albumArtist()).isEqualTo("Björk");
        assertThat(flac.composer()).isEqualTo("Björk");
        assertThat(flac.isrc()).isEqualTo("GBAAA9700002");
        // nonsense is left out, not guessed at; control characters dropped, long values cut
        MusicTags odd = MusicTags.fromFile(Map.of("track", "side A", "date", "unknown", "isrc", "none", "title",
                "a\u0000b" + "x".repeat(600)));
        assertThat(odd.track()).isNull();
        assertThat(odd.year()).isNull();
        assertThat(odd.isrc()).isNull();
        assertThat(odd.title()).startsWith("abx").hasSize(MusicTags.MAX_TEXT);
        assertThat(MusicTags.fromFile(null)).isEqualTo(MusicTags.NONE);
    }

    @Test
    void editsGoOverTheFileAndNullGoesBackToIt() {
        MusicTags file = new MusicTags("Hunter", "Björk", "Homogenic", null, 1, null, 1997, "Electronic", null, null);
        Map<String, Object> patch = new HashMap<>();
        patch.put("title", "Hunter (live)");
        patch.put("genre", "");
        patch.put("track", 0);
        MusicTags edits = MusicTags.NONE.patched(patch);
        MusicTags shown = file.with(edits);
        assertThat(shown.title()).isEqualTo("Hunter (live)");
        assertThat(shown.genre()).as("an empty text clears it").isNull();
        assertThat(shown.track()).as("0 clears a number").isNull();
        assertThat(shown.album()).isEqualTo("Homogenic");

        Map<String, Object> back = new HashMap<>();
        back.put("title", null);
        assertThat(file.with(edits.patched(back)).title()).isEqualTo("Hunter");
        assertThat(file.with(edits.patched(back)).genre()).isNull();
    }

    @Test
    void badEditsAreRefused() {
        for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(Map.of("mood", "x"),
                Map.of("title", "x".repeat(501)), Map.of("year", "1997"), Map.of("year", 10000), Map.of("track", -1),
                Map.of("title", 5), Map.of("isrc", "12345"), Map.of("artist", "a\u0007b"))) {
            assertThatThrownBy(() -> MusicTags.NONE.patched(bad)).as(bad.toString()).isInstanceOf(Refusal.class)
                    .hasFieldOrPropertyWithValue("type", "bad-tag");
        }
    }
}
