package routes.stt;

import java.util.Arrays;
import java.util.Locale;

/**
 * Word error rate: the word-level edit distance over the reference's length, with both texts normalised a little as
 * Whisper's English normaliser does: case, punctuation and hyphens aside, number words up to twenty and the tens as
 * digits ("ten" = "10"), "mister" = "mr", British "-metres" = "-meters".
 */
public final class WordErrorRate {

    private static final java.util.Map<String, String> SAME = java.util.Map.ofEntries(
            java.util.Map.entry("zero", "0"), java.util.Map.entry("one", "1"), java.util.Map.entry("two", "2"),
            java.util.Map.entry("three", "3"), java.util.Map.entry("four", "4"), java.util.Map.entry("five", "5"),
            java.util.Map.entry("six", "6"), java.util.Map.entry("seven", "7"), java.util.Map.entry("eight", "8"),
            java.util.Map.entry("nine", "9"), java.util.Map.entry("ten", "10"), java.util.Map.entry("eleven", "11"),
            java.util.Map.entry("twelve", "12"), java.util.Map.entry("thirteen", "13"),
            java.util.Map.entry("fourteen", "14"), java.util.Map.entry("fifteen", "15"),
            java.util.Map.entry("sixteen", "16"), java.util.Map.entry("seventeen", "17"),
            java.util.Map.entry("eighteen", "18"), java.util.Map.entry("nineteen", "19"),
            java.util.Map.entry("twenty", "20"), java.util.Map.entry("thirty", "30"), java.util.Map.entry("forty", "40"),
            java.util.Map.entry("fifty", "50"), java.util.Map.entry("sixty", "60"), java.util.Map.entry("seventy", "70"),
            java.util.Map.entry("eighty", "80"), java.util.Map.entry("ninety", "90"),
            java.util.Map.entry("mister", "mr"), java.util.Map.entry("missus", "mrs"),
            java.util.Map.entry("metres", "meters"), java.util.Map.entry("metre", "meter"));

    private WordErrorRate() {
    }

    public static double of(String reference, String hypothesis) {
        int[] counts = counts(reference, hypothesis);
        return counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
    }

    /** The edits (substitutions, deletions, insertions) and the reference's words: {@code {edits, words}}. */
    public static int[] counts(String reference, String hypothesis) {
        String[] ref = words(reference);
        String[] hyp = words(hypothesis);
        int[] previous = new int[hyp.length + 1];
        int[] current = new int[hyp.length + 1];
        Arrays.setAll(previous, i -> i);
        for (int i = 1; i <= ref.length; i++) {
            current[0] = i;
            for (int j = 1; j <= hyp.length; j++) {
                int substitution = previous[j - 1] + (ref[i - 1].equals(hyp[j - 1]) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return new int[] {previous[hyp.length], ref.length};
    }

    private static String[] words(String text) {
        String plain = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
        return plain.isEmpty() ? new String[0]
                : java.util.Arrays.stream(plain.split("\\s+")).map(w -> SAME.getOrDefault(w, w)).toArray(String[]::new);
    }
}
