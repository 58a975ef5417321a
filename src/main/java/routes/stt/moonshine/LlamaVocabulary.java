package routes.stt.moonshine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The LLaMA SentencePiece vocabulary Moonshine's tokens index: one piece per line, the token id being the line's
 * number from 0 (32,000 pieces). Decoding follows the tokenizer's decoder: pieces {@code <0xHH>} are raw bytes, the
 * others their UTF-8 bytes; the whole is read as UTF-8, {@code ▁} (U+2581) is a space and one leading space goes.
 * Ids outside the vocabulary (the model's special tokens above 32,000) and the control tokens 0-2 are left out.
 */
public final class LlamaVocabulary {

    /** {@code <unk>}, {@code <s>}, {@code </s>}: never text. */
    private static final int CONTROL_TOKENS = 3;

    private final byte[][] pieces;

    private LlamaVocabulary(byte[][] pieces) {
        this.pieces = pieces;
    }

    public static LlamaVocabulary read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        byte[][] pieces = new byte[lines.size()][];
        for (int id = 0; id < pieces.length; id++) {
            String piece = lines.get(id);
            pieces[id] = isByte(piece) ? new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)}
                    : piece.getBytes(StandardCharsets.UTF_8);
        }
        return new LlamaVocabulary(pieces);
    }

    public int size() {
        return pieces.length;
    }

    /** The text of the token ids, control and special tokens left out. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id >= CONTROL_TOKENS && id < pieces.length) {
                bytes.writeBytes(pieces[id]);
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8).replace('\u2581', ' ');
        return text.startsWith(" ") ? text.substring(1) : text;
    }

    /** Whether the token begins a word: its piece starts with {@code ▁}. */
    public boolean startsWord(int id) {
        byte[] piece = id >= 0 && id < pieces.length ? pieces[id] : null;
        return piece != null && piece.length >= 3 && (piece[0] & 0xff) == 0xE2 && (piece[1] & 0xff) == 0x96
                && (piece[2] & 0xff) == 0x81;
    }

    private static boolean isByte(String piece) {
        return piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">");
    }
}
