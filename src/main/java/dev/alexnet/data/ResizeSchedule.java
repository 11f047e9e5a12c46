package dev.alexnet.data;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Progressive resizing: the size the training images are resized to, epoch by epoch — smaller pictures first, for
 * a fraction of the arithmetic, then the network's own size (the fast.ai / DAWNBench technique). Written as
 * {@code SIZE:EPOCHS,...}: {@code 112:1,224:1} trains the first epoch at 112×112 and the second at 224×224.
 * Epochs after the schedule's train at its last size; validation is always at the network's own size.
 *
 * @param stages the sizes in order, each for its number of epochs
 */
public record ResizeSchedule(List<Stage> stages) {

    /** The most stages a schedule may have. */
    public static final int MAX_STAGES = 64;

    /**
     * One stretch of the schedule.
     *
     * @param size the side the training images are resized to
     * @param epochs how many epochs it lasts
     */
    public record Stage(int size, int epochs) {

        /** Checks the stage's numbers. */
        public Stage {
            if (size < 1 || size > MAX_SIZE) {
                throw new IllegalArgumentException("resize schedule size must be 1 to " + MAX_SIZE + ", got " + size);
            }
            if (epochs < 1 || epochs > MAX_EPOCHS) {
                throw new IllegalArgumentException("resize schedule epochs must be 1 to " + MAX_EPOCHS + ", got "
                        + epochs);
            }
        }

        @Override
        public String toString() {
            return size + ":" + epochs;
        }
    }

    // The model's and the training's own limits (ModelConfig.MAX_INPUT_SIZE, TrainingConfig.MAX_EPOCHS), which this
    // lower package cannot name.
    private static final int MAX_SIZE = 2048;
    private static final int MAX_EPOCHS = 9_999;

    /** Checks that there is at least one stage. */
    public ResizeSchedule {
        if (stages == null || stages.isEmpty()) {
            throw new IllegalArgumentException("a resize schedule needs at least one SIZE:EPOCHS stage");
        }
        if (stages.size() > MAX_STAGES) {
            throw new IllegalArgumentException("a resize schedule has at most " + MAX_STAGES + " stages, got "
                    + stages.size());
        }
        stages = List.copyOf(stages);
    }

    /**
     * Reads {@code 112:1,224:1}.
     *
     * @throws IllegalArgumentException for anything else, with what is wrong
     */
    public static ResizeSchedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty resize schedule; expected SIZE:EPOCHS,... such as 112:1,224:1");
        }
        List<Stage> stages = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] fields = part.strip().split(":", -1);
            if (fields.length != 2) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not SIZE:EPOCHS (such as 112:1)");
            }
            stages.add(new Stage(number(fields[0], "size"), number(fields[1], "epochs")));
        }
        return new ResizeSchedule(stages);
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("resize schedule " + what + " '" + text.strip() + "' is not a whole number");
        }
    }

    /** Returns the epochs the stages last together. */
    public int epochs() {
        return stages.stream().mapToInt(Stage::epochs).sum();
    }

    /** Returns the last stage's size: the size the training ends at. */
    public int lastSize() {
        return stages.get(stages.size() - 1).size();
    }

    /** Returns the size epoch {@code epoch} (from 1) trains at: its stage's, or the last one's after the schedule. */
    public int sizeAt(int epoch) {
        int end = 0;
        for (Stage stage : stages) {
            end += stage.epochs();
            if (epoch <= end) {
                return stage.size();
            }
        }
        return lastSize();
    }

    /** Returns the distinct sizes, in order of first use. */
    public List<Integer> sizes() {
        return stages.stream().map(Stage::size).distinct().toList();
    }

    @Override
    public String toString() {
        return stages.stream().map(Stage::toString).collect(Collectors.joining(","));
    }
}
