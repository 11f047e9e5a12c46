package dev.alexnet.model;

/**
 * What a network is: its name in {@link Networks}, its number of classes and its square input size.
 *
 * <p>Saved beside every trained model so that a model directory can be rebuilt and used without
 * repeating flags.
 *
 * @param name the network's name, as listed by {@link Networks#names()}
 * @param numClasses how many classes the last layer scores
 * @param inputSize height and width of the single-channel input images, in pixels
 */
public record ModelConfig(String name, int numClasses, int inputSize) {

    /** The largest input size: about ten times ImageNet's, far beyond what 28×28 images hold. */
    public static final int MAX_INPUT_SIZE = 2048;

    /** The most classes a network may score. */
    public static final int MAX_CLASSES = 100_000;

    /** Checks every field, so that a bad configuration fails where it is made. */
    public ModelConfig {
        if (name == null || !Networks.names().contains(name)) {
            throw new IllegalArgumentException(
                    "unknown model '" + name + "'; known models: " + String.join(", ", Networks.names()));
        }
        if (numClasses < 2 || numClasses > MAX_CLASSES) {
            throw new IllegalArgumentException("number of classes must be 2 to " + MAX_CLASSES + ", got " + numClasses);
        }
        if (inputSize < 1 || inputSize > MAX_INPUT_SIZE) {
            throw new IllegalArgumentException("input size must be 1 to " + MAX_INPUT_SIZE + ", got " + inputSize);
        }
    }

    /** Returns this configuration with another input size. */
    public ModelConfig withInputSize(int size) {
        return new ModelConfig(name, numClasses, size);
    }
}
