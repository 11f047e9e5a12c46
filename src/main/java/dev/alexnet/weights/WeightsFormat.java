package dev.alexnet.weights;

import ai.djl.ndarray.NDList;
import java.util.Locale;

/** The two interchange formats: safetensors (PyTorch, Hugging Face) and NumPy's NPZ. */
public enum WeightsFormat {
    SAFETENSORS(NDList.Encoding.SAFETENSORS),
    NPZ(NDList.Encoding.NPZ);

    private final NDList.Encoding encoding;

    WeightsFormat(NDList.Encoding encoding) {
        this.encoding = encoding;
    }

    /** Returns DJL's encoding that writes this format. */
    public NDList.Encoding encoding() {
        return encoding;
    }

    /** Returns the name users type: {@code safetensors} or {@code npz}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a user's format name.
     *
     * @throws IllegalArgumentException naming the choices
     */
    public static WeightsFormat parse(String text) {
        for (WeightsFormat format : values()) {
            if (format.label().equalsIgnoreCase(text)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "' (use safetensors or npz)");
    }

    /** Tells the format from a file's first bytes: NPZ is a zip archive ("PK"), else safetensors. */
    static WeightsFormat sniff(byte[] start, int length) {
        return length >= 2 && start[0] == 'P' && start[1] == 'K' ? NPZ : SAFETENSORS;
    }
}
