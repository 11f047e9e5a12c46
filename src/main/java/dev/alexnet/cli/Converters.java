package dev.alexnet.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value converters that refuse out-of-range numbers at parse time, so bad flags exit 2. */
final class Converters {

    private Converters() {}

    /** A whole number of at least 1. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int parsed;
            try {
                parsed = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (parsed < 1) {
                throw new TypeConversionException("must be at least 1, got " + parsed);
            }
            return parsed;
        }
    }

    /** A finite number above 0. */
    static final class PositiveFloat implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            float parsed;
            try {
                parsed = Float.parseFloat(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!(parsed > 0) || !Float.isFinite(parsed)) {
                throw new TypeConversionException("must be a number above 0, got " + value);
            }
            return parsed;
        }
    }
}
