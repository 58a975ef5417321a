package routes.stt;

import java.util.Arrays;
import java.util.Locale;

/** Word error rate: the word-level edit distance over the reference's length, case and punctuation aside. */
public final class WordErrorRate {

    private WordErrorRate() {
    }

    public static double of(String reference, String hypothesis) {
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
        return ref.length == 0 ? 0 : (double) previous[hyp.length] / ref.length;
    }

    private static String[] words(String text) {
        String plain = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
        return plain.isEmpty() ? new String[0] : plain.split("\\s+");
    }
}
