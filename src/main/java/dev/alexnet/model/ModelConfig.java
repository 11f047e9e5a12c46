package dev.alexnet.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a network is: its name in {@link Networks}, its classes, its square input size and its input channels.
 *
 * <p>Saved beside every trained model so that a model directory can be rebuilt and used without
 * repeating flags, and so that every consumer of the model names its classes as the data did.
 *
 * @param name the network's name, as listed by {@link Networks#names()}
 * @param numClasses how many classes the last layer scores
 * @param inputSize height and width of the input images, in pixels
 * @param channels the input images' channels: 1 (grey) or 3 (RGB); 0 in files written before channels were
 *     recorded, read as 1
 * @param classNames the name of each class, in output order; {@code null} for Fashion-MNIST's ten (or, for
 *     another count, the class numbers)
 * @param preprocessing how a picture becomes the network's input: {@link #FASHION_MNIST_STYLE} (grey, light on
 *     dark, trimmed and fitted into 28×28 as Fashion-MNIST's images were made; the default, and {@code null} in
 *     older files) or {@link #RESIZE} (the picture's channels resized to the input, as a folder of pictures is read
 *     for training)
 * @param adaptivePool whether an {@link AdaptiveAvgPool} stands before the first dense layer, pooling to the map
 *     the network has at {@code inputSize} (so an identity there): set for training with a resize schedule, so that
 *     the network also takes the schedule's other sizes; {@code false} in files written before it existed
 */
public record ModelConfig(String name, int numClasses, int inputSize, int channels, List<String> classNames,
        String preprocessing, boolean adaptivePool) {

    /** Pictures made like Fashion-MNIST's images: see {@code ImageInput}. */
    public static final String FASHION_MNIST_STYLE = "fashion-mnist";

    /** Pictures resized to the input, channels kept: see {@code ImageFolder}. */
    public static final String RESIZE = "resize";

    /** Fashion-MNIST's ten classes, in label order: the chapter's dataset, the default. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

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
        if (channels == 0) {
            channels = 1;
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        if (preprocessing == null) {
            // Fashion-MNIST's preparation makes one grey channel: a colour network's pictures are resized
            preprocessing = channels == 3 ? RESIZE : FASHION_MNIST_STYLE;
        }
        if (!preprocessing.equals(FASHION_MNIST_STYLE) && !preprocessing.equals(RESIZE)) {
            throw new IllegalArgumentException("preprocessing must be " + FASHION_MNIST_STYLE + " or " + RESIZE
                    + ", got " + preprocessing);
        }
        if (classNames == null) {
            classNames = numClasses == FASHION_MNIST_CLASSES.size() ? FASHION_MNIST_CLASSES : numbered(numClasses);
        } else {
            classNames = List.copyOf(classNames);
            if (classNames.size() != numClasses) {
                throw new IllegalArgumentException(numClasses + " classes but " + classNames.size() + " class names");
            }
        }
    }

    /** A network without an adaptive pool. */
    public ModelConfig(String name, int numClasses, int inputSize, int channels, List<String> classNames,
            String preprocessing) {
        this(name, numClasses, inputSize, channels, classNames, preprocessing, false);
    }

    /** A grey-image network for {@code numClasses} classes (Fashion-MNIST's names when there are ten). */
    public ModelConfig(String name, int numClasses, int inputSize) {
        this(name, numClasses, inputSize, 1, null, null);
    }

    private static List<String> numbered(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** Returns this configuration with another input size. */
    public ModelConfig withInputSize(int size) {
        return new ModelConfig(name, numClasses, size, channels, classNames, preprocessing, adaptivePool);
    }

    /** Returns this configuration for images of {@code count} channels. */
    public ModelConfig withChannels(int count) {
        return new ModelConfig(name, numClasses, inputSize, count, classNames, preprocessing, adaptivePool);
    }

    /** Returns this configuration for these classes, in output order. */
    public ModelConfig withClasses(List<String> names) {
        return new ModelConfig(name, names.size(), inputSize, channels, names, preprocessing, adaptivePool);
    }

    /** Returns this configuration preparing pictures as {@code how} says. */
    public ModelConfig withPreprocessing(String how) {
        return new ModelConfig(name, numClasses, inputSize, channels, classNames, how, adaptivePool);
    }

    /** Returns this configuration with or without an adaptive pool before the first dense layer. */
    public ModelConfig withAdaptivePool(boolean pool) {
        return new ModelConfig(name, numClasses, inputSize, channels, classNames, preprocessing, pool);
    }

    /** Returns whether this network was trained on Fashion-MNIST itself: its pictures and its ten classes. */
    public boolean fashionMnist() {
        return fashionMnistStyle() && classNames.equals(FASHION_MNIST_CLASSES);
    }

    /** Returns whether pictures are made like Fashion-MNIST's images for this network. */
    public boolean fashionMnistStyle() {
        return preprocessing.equals(FASHION_MNIST_STYLE);
    }
}
