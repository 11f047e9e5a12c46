package dev.alexnet.cli;

import dev.alexnet.model.Networks;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters that refuse out-of-range numbers at parse time, so bad flags exit 2. */
final class Converters {

    private Converters() {}

    /** A whole number of at least 1. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, Integer.MAX_VALUE);
        }
    }

    /** A batch size. */
    static final class BatchSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, dev.alexnet.data.DataConfig.MAX_BATCH_SIZE);
        }
    }

    /** A network's input size. */
    static final class InputSize implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, dev.alexnet.model.ModelConfig.MAX_INPUT_SIZE);
        }
    }

    /** A number of classes. */
    static final class Classes implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 2, dev.alexnet.model.ModelConfig.MAX_CLASSES);
        }
    }

    /** A number of epochs. */
    static final class Epochs implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, dev.alexnet.train.TrainingConfig.MAX_EPOCHS);
        }
    }

    /** A count of steps or repeats in a measurement. */
    static final class Steps implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, 1_000_000);
        }
    }

    /** A count that may be zero: untimed warm-up steps, an image's index. */
    static final class Count implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0, 1_000_000);
        }
    }

    /** Minutes between checkpoints: 0 (none) to a year. */
    static final class CheckpointMinutes implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0, dev.alexnet.train.TrainingConfig.MAX_CHECKPOINT_MINUTES);
        }
    }

    /** The side of the benchmark's matrix product: 16384² floats are a gigabyte per matrix. */
    static final class MatrixSide implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, 16_384);
        }
    }

    /** A TCP port: 0 (any free one) to 65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0, 65_535);
        }
    }

    /** The server's batch limit. */
    static final class MaxBatch implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, 4096);
        }
    }

    /** Milliseconds a request may wait for its batch: 0 to a minute. */
    static final class DelayMillis implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0, 60_000);
        }
    }

    /** Megabytes of a request body: 1 to 349,525 (a third of the largest memory budget; the budget's own third is checked with it). */
    static final class BodyMegabytes implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, 349_525);
        }
    }

    /** Megabytes of the server's memory budget: 1 to 1,048,576 (1 TiB). */
    static final class BudgetMegabytes implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, 1_048_576);
        }
    }

    /** Connections a server holds open: 1 to 100,000. */
    static final class Connections implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 1, 100_000);
        }
    }

    /** A whole number of at least 0. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0, Integer.MAX_VALUE);
        }
    }

    /** A finite number above 0. */
    static final class PositiveFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            float parsed = finiteNumber(value);
            if (!(parsed > 0)) {
                throw new TypeConversionException("must be a number above 0, got " + value);
            }
            return parsed;
        }
    }

    /** A finite number of at least 0. */
    static final class NonNegativeFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            float parsed = finiteNumber(value);
            if (!(parsed >= 0)) {
                throw new TypeConversionException("must be a number of at least 0, got " + value);
            }
            return parsed;
        }
    }

    /** A number from 0 up to, not including, 1: a momentum, a label smoothing. */
    static final class Fraction implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            float parsed = finiteNumber(value);
            if (!(parsed >= 0 && parsed < 1)) {
                throw new TypeConversionException("must be a number from 0 up to (not including) 1, got " + value);
            }
            return parsed;
        }
    }

    private static int wholeNumber(String value, int least, int most) {
        String text = value.strip();
        if (!text.matches("[+-]?[0-9]+")) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        java.math.BigInteger parsed = new java.math.BigInteger(text);
        if (parsed.compareTo(java.math.BigInteger.valueOf(least)) < 0) {
            throw new TypeConversionException("must be at least " + least + ", got " + text);
        }
        if (parsed.compareTo(java.math.BigInteger.valueOf(most)) > 0) {
            throw new TypeConversionException("must be at most " + most + ", got " + text + " (too large)");
        }
        return parsed.intValueExact();
    }

    private static float finiteNumber(String value) {
        float parsed;
        try {
            parsed = Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
        if (Float.isNaN(parsed)) {
            throw new TypeConversionException("must be a number, got " + value);
        }
        if (Float.isInfinite(parsed)) {
            throw new TypeConversionException("must be a finite number of float32 size (at most 3.4e38), got " + value);
        }
        return parsed;
    }



    /** The name of a network this project builds. */
    static final class ModelName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!Networks.names().contains(value)) {
                throw new TypeConversionException("unknown model '" + value + "'; known: "
                        + String.join(", ", Networks.names()));
            }
            return value;
        }
    }

    /** What to train on: {@code fashion-mnist} or {@code folder:PATH}. */
    static final class DataSource implements ITypeConverter<String> {
        static final String FASHION_MNIST = "fashion-mnist";
        static final String FOLDER = "folder:";

        @Override
        public String convert(String value) {
            if (value.equals(FASHION_MNIST) || (value.startsWith(FOLDER) && value.length() > FOLDER.length())) {
                return value;
            }
            throw new TypeConversionException("'" + value + "' is not fashion-mnist or folder:PATH");
        }

        /** Returns the folder a value names, or null for Fashion-MNIST. */
        static java.nio.file.Path folder(String value) {
            return value.startsWith(FOLDER) ? java.nio.file.Path.of(value.substring(FOLDER.length())) : null;
        }
    }

    /** Picture channels: 1 or 3. */
    static final class Channels implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.equals("1") || value.equals("3")) {
                return Integer.valueOf(value);
            }
            throw new TypeConversionException("'" + value + "' is not 1 (grey) or 3 (RGB)");
        }
    }

    /** How long a stopping server waits for the requests in flight: 0 to 600 seconds. */
    static final class DrainSeconds implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return wholeNumber(value, 0, 600);
        }
    }

    /** A share strictly between 0 and 1: a validation fraction. */
    static final class Share implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            float parsed = finiteNumber(value);
            if (!(parsed > 0 && parsed < 1)) {
                throw new TypeConversionException("must be a number between 0 and 1 (not including either), got " + value);
            }
            return Double.valueOf(value.strip());
        }
    }

    /** The networks' names, for a help text's {@code ${COMPLETION-CANDIDATES}}. */
    static final class NetworkNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Networks.names().iterator();
        }
    }

    /** A device choice: auto, cpu or gpu. */
    static final class DeviceChoice implements ITypeConverter<String> {
        private static final List<String> CHOICES = List.of("auto", "cpu", "gpu");

        @Override
        public String convert(String value) {
            String choice = value.toLowerCase(Locale.ROOT);
            if (!CHOICES.contains(choice)) {
                throw new TypeConversionException("unknown device '" + value + "'; use auto, cpu or gpu");
            }
            return choice;
        }
    }

    /** A comma-separated subset of flip, crop, color. */
    static final class AugmentationList implements ITypeConverter<dev.alexnet.data.Augmentation> {
        @Override
        public dev.alexnet.data.Augmentation convert(String value) {
            try {
                return dev.alexnet.data.Augmentation.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }



    /** The name of an optimizer this project trains with. */
    static final class OptimizerName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.strip().toLowerCase(Locale.ROOT);
            if (!dev.alexnet.model.OptimizerConfig.NAMES.contains(name)) {
                throw new TypeConversionException("unknown optimizer '" + value + "'; use "
                        + String.join(" or ", dev.alexnet.model.OptimizerConfig.NAMES));
            }
            return name;
        }
    }

    /** The name of a preset recipe. */
    static final class PresetName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!dev.alexnet.train.RunConfig.PRESETS.contains(value)) {
                throw new TypeConversionException("unknown preset '" + value + "' (known: "
                        + String.join(", ", dev.alexnet.train.RunConfig.PRESETS) + ")");
            }
            return value;
        }
    }

    /** Whether to turn dark-on-light pictures into light-on-dark: auto, yes or no. */
    static final class InvertChoice implements ITypeConverter<dev.alexnet.predict.ImageInput.Invert> {
        @Override
        public dev.alexnet.predict.ImageInput.Invert convert(String value) {
            try {
                return dev.alexnet.predict.ImageInput.Invert.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' (use auto, yes or no)");
            }
        }
    }
}
