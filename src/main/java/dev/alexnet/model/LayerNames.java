package dev.alexnet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How layers and shapes are written for people: the book's class names and tuple shapes. */
public final class LayerNames {

    private LayerNames() {}

    /** Returns a layer's display name: a lambda layer's given name, else its class name. */
    public static String of(Block layer) {
        return layer instanceof LambdaBlock lambda ? lambda.getName() : layer.getClass().getSimpleName();
    }

    /** Formats a shape as the book prints it, e.g. {@code (1, 96, 54, 54)}. */
    public static String format(Shape shape) {
        return Arrays.stream(shape.getShape())
                .mapToObj(Long::toString)
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
