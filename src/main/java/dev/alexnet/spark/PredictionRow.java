package dev.alexnet.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One output row of {@code batch-predict}: a picture's path, its top-k labels and probabilities, or why it
 * could not be read — a plain Spark row of {@link #SCHEMA}, with no bean to encode.
 */
final class PredictionRow {

    /** path, labels (most probable first), probabilities (in the same order), error. */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, true)
            .add("labels", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), true)
            .add("error", DataTypes.StringType, true);

    private PredictionRow() {}

    /** A row: labels and probabilities, or null for both and the {@code error}. */
    static Row of(String path, List<String> labels, List<Double> probabilities, String error) {
        return RowFactory.create(path, labels == null ? null : labels.toArray(new String[0]),
                probabilities == null ? null : probabilities.toArray(new Double[0]), error);
    }
}
