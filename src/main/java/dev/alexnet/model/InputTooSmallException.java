package dev.alexnet.model;

/** Thrown when an input image is too small for a network: a feature map shrinks to nothing. */
public final class InputTooSmallException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InputTooSmallException(String message) {
        super(message);
    }
}
