package dev.alexnet.data;

/**
 * One part of a dataset: images and their labels, index for index.
 *
 * @param name what the split is called in messages ("train", "validation")
 * @param images the images
 * @param labels one class index per image
 */
public record Split(String name, IdxImages images, int[] labels) {

    /** Checks that images and labels pair up. */
    public Split {
        if (images.count() != labels.length) {
            throw new DataException(name + " split: " + images.count() + " images but " + labels.length + " labels");
        }
    }

    /** Returns how many examples the split holds. */
    public int size() {
        return labels.length;
    }

    /** A split whose labels are bytes, 0 to 255, as IDX files hold them. */
    public Split(String name, IdxImages images, byte[] labels) {
        this(name, images, unsigned(labels));
    }

    private static int[] unsigned(byte[] labels) {
        int[] values = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            values[i] = Byte.toUnsignedInt(labels[i]);
        }
        return values;
    }

    /** Returns the first {@code n} examples (all of them when there are fewer). */
    public Split first(int n) {
        if (n >= size()) {
            return this;
        }
        return new Split(name, images.first(n), java.util.Arrays.copyOf(labels, n));
    }

    /** Returns the class index of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }
}
