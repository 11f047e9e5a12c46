package dev.alexnet.data;

/**
 * One part of a dataset: images and their labels, index for index.
 *
 * @param name what the split is called in messages ("train", "validation")
 * @param images the images
 * @param labels one class index per image
 */
public record Split(String name, IdxImages images, byte[] labels) {

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

    /** Returns the first {@code n} examples (all of them when there are fewer). */
    public Split first(int n) {
        if (n >= size()) {
            return this;
        }
        return new Split(name, images.first(n), java.util.Arrays.copyOf(labels, n));
    }

    /** Returns the class index of example {@code i}. */
    public int label(int i) {
        return Byte.toUnsignedInt(labels[i]);
    }
}
