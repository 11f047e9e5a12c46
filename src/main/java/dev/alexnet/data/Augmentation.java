package dev.alexnet.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The image augmentation the chapter describes, for training batches only: random horizontal
 * flips, random crops (shifts of up to {@value #CROP_PADDING} pixels within zero padding), and
 * brightness/contrast jitter.
 *
 * @param flip flip half the images left to right
 * @param crop pad by {@value #CROP_PADDING} pixels and crop back to 28×28 at a random place
 * @param color scale contrast by 0.8–1.2 and shift brightness by ±0.1, per image
 */
public record Augmentation(boolean flip, boolean crop, boolean color) {

    /** No augmentation. */
    public static final Augmentation NONE = new Augmentation(false, false, false);

    /** Padding of the random crop, in 28×28 pixels. */
    public static final int CROP_PADDING = 2;

    /** Returns whether anything is done. */
    public boolean any() {
        return flip || crop || color;
    }

    /**
     * Parses a comma-separated subset of {@code flip,crop,color}; empty or {@code none} is none.
     *
     * @throws IllegalArgumentException naming an unknown part
     */
    public static Augmentation parse(String text) {
        boolean flip = false;
        boolean crop = false;
        boolean color = false;
        for (String part : text.split(",")) {
            switch (part.strip().toLowerCase(Locale.ROOT)) {
                case "flip" -> flip = true;
                case "crop" -> crop = true;
                case "color", "colour" -> color = true;
                case "", "none" -> { }
                default -> throw new IllegalArgumentException("unknown augmentation '" + part.strip()
                        + "'; use any of flip, crop, color");
            }
        }
        return new Augmentation(flip, crop, color);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (flip) {
            parts.add("flip");
        }
        if (crop) {
            parts.add("crop");
        }
        if (color) {
            parts.add("color");
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }
}
